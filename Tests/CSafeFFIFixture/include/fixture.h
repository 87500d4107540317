/* A tiny C library that misbehaves on purpose, so each SafeFFI piece can be tested on
 * its own: strings that are not UTF-8, NULLs, counted allocations, a callback driver. */
#ifndef SAFEFFI_FIXTURE_H
#define SAFEFFI_FIXTURE_H

#include <stddef.h>

/** Static: "h\xC3\xA9llo" ("héllo"). */
const char *fixture_valid_string(void);

/** Static: NULL, always. */
const char *fixture_null_string(void);

/** Static: the `which`-th malformed string (0...5), NULL past the end. */
const char *fixture_malformed_string(int which);

/** Caller frees with fixture_free: a counted copy of `text`. */
char *fixture_strdup(const char *text);

/** Caller frees with fixture_free: `count` ints holding 0, 1, 2, … */
int *fixture_make_ints(size_t count);

/** Frees a block from this fixture and counts the free. NULL is ignored. */
void fixture_free(void *block);

/** Blocks allocated and not yet freed. */
long fixture_live_blocks(void);

/** Calls `callback(items[i], context)` for each item, in order. */
void fixture_each(const int *items, size_t count, void (*callback)(int, void *), void *context);

/* A one-slot callback registry, as many C libraries have. */
typedef void (*fixture_callback)(int value, void *context);

/** Kept: stores the callback and context until fixture_unregister. Returns 1, or -1 when
 *  the slot is taken. */
int fixture_register(fixture_callback callback, void *context);

/** Empties the slot if `token` is its registration. */
void fixture_unregister(int token);

/** Whether the slot holds a callback. */
int fixture_is_registered(void);

/** Calls the registered callback with `value`, if any. */
void fixture_fire(int value);

#endif
