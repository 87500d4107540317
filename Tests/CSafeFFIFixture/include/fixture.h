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

#endif
