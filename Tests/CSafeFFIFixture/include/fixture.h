/* A tiny C library that misbehaves on purpose, so each SafeFFI piece can be tested on
 * its own: strings that are not UTF-8, NULLs, counted allocations, a callback driver; and a
 * small generic library (strings, handles, error codes, callbacks) that the articles wrap. */
#ifndef SAFEFFI_FIXTURE_H
#define SAFEFFI_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

/* Bounds annotations, seen only by an importer that understands them: Swift with
 * SafeInteropWrappers imports an annotated function a second time, taking a Span. Every C
 * compiler, and Swift without the feature, sees nothing. */
#if defined(__swift__) && defined(__has_feature) && defined(__has_attribute)
#if __has_feature(bounds_safety_attributes) && __has_attribute(__noescape__)
#define FIXTURE_COUNTED_BY(n) __attribute__((__counted_by__(n)))
#define FIXTURE_NOESCAPE __attribute__((__noescape__))
#endif
#endif
#ifndef FIXTURE_COUNTED_BY
#define FIXTURE_COUNTED_BY(n)
#define FIXTURE_NOESCAPE
#endif

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

/* ---- A small generic C library, as the documentation's articles wrap it. None of these
 * touches the counters above (fixture_live_blocks, fixture_write_calls, fixture_state_*),
 * so the articles' tests can run beside the tests that watch those. ---- */

/* Strings. */

/** Static: the library's version, "2.1.0". */
const char *fixture_version(void);

/** Static: the name of a status code ("ok", "syntax error", "out of range"), or NULL for a
 *  code the library does not know. */
const char *fixture_status_name(int status);

/** The number of words in `text`, separated by runs of spaces. */
size_t fixture_word_count(const char *text);

/* Memory the caller frees. */

/** Caller frees with fixture_string_free: "Hello, NAME!". NULL when `name` is NULL. */
char *fixture_greeting(const char *name);

/** Frees a string from fixture_greeting. NULL is ignored. */
void fixture_string_free(char *text);

/** Strings from fixture_greeting not yet freed. */
long fixture_strings_live(void);

/** Caller frees with fixture_array_free: `count` ints holding 0, 1, 4, 9, … NULL when
 *  `count` is 0. */
int *fixture_squares(size_t count);

/** Frees an array from fixture_squares or fixture_path. NULL is ignored. */
void fixture_array_free(void *array);

/** Arrays from fixture_squares and fixture_path not yet freed. */
long fixture_arrays_live(void);

/* Structs by value and by pointer. */

typedef struct fixture_point {
    double x;
    double y;
} fixture_point;

typedef struct fixture_rect {
    fixture_point origin;
    double width;
    double height;
} fixture_rect;

/** The distance between two points. */
double fixture_distance(fixture_point a, fixture_point b);

/** 1 when `point` lies inside `rect` or on its edge, else 0. */
int fixture_rect_contains(const fixture_rect *rect, fixture_point point);

/** Caller frees with fixture_array_free: `steps` points evenly spaced from `from` to `to`,
 *  both included. NULL when `steps` is less than 2. */
fixture_point *fixture_path(fixture_point from, fixture_point to, int steps);

/* An opaque handle. Not thread-safe: calls on one counter must not overlap. */

typedef struct fixture_counter fixture_counter;

/** A new counter at 0 named `name` (copied); the caller frees it with fixture_counter_free.
 *  NULL when `name` is NULL or empty. */
fixture_counter *fixture_counter_create(const char *name);

/** Frees a counter. NULL is ignored. */
void fixture_counter_free(fixture_counter *counter);

/** Adds `amount` (a read, an addition and a write: not atomic). */
void fixture_counter_add(fixture_counter *counter, long amount);

/** The counter's value. */
long fixture_counter_value(const fixture_counter *counter);

/** The counter's name, valid until the counter is freed. */
const char *fixture_counter_name(const fixture_counter *counter);

/** Counters created and not yet freed. */
long fixture_counters_live(void);

/* Status codes and a thread's last error. */

#define FIXTURE_OK 0
#define FIXTURE_ERR_SYNTAX 1
#define FIXTURE_ERR_RANGE 2

/** Parses a TCP port (1-65535) from decimal `text` into *port. Returns FIXTURE_OK, or an
 *  error code with a message for fixture_last_error; *port is untouched then. */
int fixture_parse_port(const char *text, int *port);

/** Static, per thread: the message of this thread's last failed call, "" when none. */
const char *fixture_last_error(void);

/* Writing into the caller's buffer. */

/** Writes "Hello, NAME!" (no NUL) into `dest`, which holds *dest_len bytes. Returns 0 and
 *  sets *dest_len to the bytes written, or returns 1 ("too small") without writing and sets
 *  *dest_len to the bytes needed. */
int fixture_format_greeting(const char *name, char *dest, size_t *dest_len);

/* Annotated for Swift: these import taking a Span (see FIXTURE_COUNTED_BY above). */

/** The Adler-32 checksum of `len` bytes. */
uint32_t fixture_checksum(const uint8_t *FIXTURE_COUNTED_BY(len) FIXTURE_NOESCAPE data, size_t len);

/** Fills `len` bytes with `first`, `first + 1`, … (wrapping at 256). */
void fixture_fill(uint8_t *FIXTURE_COUNTED_BY(len) FIXTURE_NOESCAPE buffer, size_t len, uint8_t first);

/* An event source whose callbacks are kept, with a void* context each. */

typedef struct fixture_source fixture_source;
typedef void (*fixture_event_callback)(int event, void *context);

/** A new source with 4 subscription slots; the caller frees it with fixture_source_free.
 *  NULL when memory runs out. */
fixture_source *fixture_source_create(void);

/** Frees a source, which must have no subscriptions left. NULL is ignored. */
void fixture_source_free(fixture_source *source);

/** Kept: calls `callback(event, context)` for every event until fixture_source_unsubscribe.
 *  Returns the subscription's id (> 0), or -1 when every slot is taken. */
int fixture_source_subscribe(fixture_source *source, fixture_event_callback callback, void *context);

/** Ends a subscription. Waits for a call of its callback running on another thread; may be
 *  called from inside a callback. */
void fixture_source_unsubscribe(fixture_source *source, int id);

/** Calls every subscribed callback with `event`, on the calling thread; returns how many. */
int fixture_source_emit(fixture_source *source, int event);

/** The number of subscriptions. */
int fixture_source_subscriptions(fixture_source *source);

/* A plugin table, as a C host finds it in a library it loads. */

#define FIXTURE_PLUGIN_ABI 1
#define FIXTURE_PLUGIN_TOO_SMALL 1
#define FIXTURE_PLUGIN_INVALID_INPUT 2

typedef struct fixture_plugin {
    int abi_version; /* FIXTURE_PLUGIN_ABI */
    /* Transforms NUL-terminated `input` into `output`, which holds *output_len bytes: returns 0
     * and sets *output_len to the bytes written, FIXTURE_PLUGIN_TOO_SMALL and the bytes needed,
     * or another non-zero code. */
    int (*transform)(const char *input, char *output, size_t *output_len);
} fixture_plugin;

/** Runs `plugin`'s transform as a host does: its status, or -1 when the plugin was built for
 *  another ABI version (it is not called then). */
int fixture_host_run(const fixture_plugin *plugin, const char *input, char *output, size_t *output_len);

#endif
