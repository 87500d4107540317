/* Internal services shared by libnative's source files: the counting allocator, the
 * thread-local last error and UTF-8 validation. Not part of the public header. */
#ifndef NATIVE_INTERNAL_H
#define NATIVE_INTERNAL_H

#include "native.h"

/** Allocates through the counting allocator; NULL when out of memory or when a failure
 *  was injected. Sets no error: the caller reports code 2 with its own context. */
void *native_alloc(size_t size);

/** Frees a block from native_alloc. NULL is ignored. */
void native_free(void *block);

/** Records the thread's last error: `code` and a printf-style message. */
void native_set_error(int code, const char *format, ...) __attribute__((format(printf, 2, 3)));

/** Clears the thread's last error (a successful call). */
void native_clear_error(void);

/** Whether `len` bytes at `bytes` are well-formed UTF-8 (no overlongs, no surrogates,
 *  nothing above U+10FFFF). */
bool native_is_valid_utf8(const uint8_t *bytes, size_t len);

/** FNV-1a 64-bit over `len` bytes. */
uint64_t native_fnv1a(const uint8_t *bytes, size_t len);

#endif
