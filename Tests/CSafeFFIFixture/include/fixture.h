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

/** Calls `callback(items[i], context)` for each item, in order, as libgit2's `*_foreach`
 * functions do: a non-zero return stops the walk and is returned; 0 when every item was
 * visited. */
int fixture_foreach(const int *items, size_t count, int (*callback)(int, void *), void *context);

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

/* C writing into a caller's buffer (the dest/destLen pattern). */

/** Copies the bytes of `text` (no NUL) into `dest`, which holds *dest_len bytes. Returns
 *  0 and sets *dest_len to the bytes written, or returns 1 ("too small") without writing
 *  and sets *dest_len to the bytes needed. Each call is counted (fixture_write_calls). */
int fixture_copy_text(const char *text, char *dest, size_t *dest_len);

/** Calls of fixture_copy_text so far. */
long fixture_write_calls(void);

/** The sum of `len` bytes, for a length type narrower than size_t. */
unsigned long fixture_sum_bytes(const unsigned char *bytes, unsigned short len);

/** Adds 1 to each of `len` ints. */
void fixture_increment(int *values, int len);

/** Sorts `count` ints in place (insertion sort) with `compare`, which returns a negative
 *  number, 0 or a positive number, and receives `context`; as qsort_r. Returns the number
 *  of comparisons. */
long fixture_sort(int *values, size_t count, int (*compare)(int lhs, int rhs, void *context), void *context);

/* A struct the caller allocates and the library initialises, as zlib's z_stream. */
typedef struct fixture_state {
    struct fixture_state *self; /* set by init: the struct must not move afterwards */
    int *history;               /* the library's allocation (counted) */
    long total;
    int reserved;               /* must be 0 when init is called, as zlib's zalloc */
} fixture_state;

/** Initialises `state`: returns 0, or -1 when `fail` is non-zero or `reserved` is not 0
 *  (nothing allocated then). */
int fixture_state_init(fixture_state *state, int fail);

/** Adds `value` to the total; -1 when the struct moved since init. */
int fixture_state_add(fixture_state *state, int value);

/** Frees what init allocated and counts the call (fixture_state_ends). */
void fixture_state_end(fixture_state *state);

/** Calls of fixture_state_end, and states initialised and not yet ended. */
long fixture_state_ends(void);
long fixture_state_live(void);

/** A streaming function in zlib's shape, with 8-bit counts so a long input needs slices:
 *  each input byte is written twice; a 0 byte ends the stream (consumed, not written). */
typedef struct fixture_stream {
    unsigned char *next_in;
    unsigned char avail_in;
    unsigned char *next_out;
    unsigned char avail_out;
    int pending;     /* the second copy of a byte still to write, or -1 */
    int ended;
} fixture_stream;

/** Works until the input is used up or the output is full: 1 when the stream has ended,
 *  0 otherwise, -1 when called after its end. */
int fixture_stream_step(fixture_stream *stream);

#endif
