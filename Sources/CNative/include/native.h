/*
 * libnative — the C library of the FFI-boundaries tutorial, implemented for real.
 *
 * Every function the tutorial declares keeps its exact name and C signature, so a
 * program written against the tutorial links against this library unchanged.
 * Additions are prefixed `native_`.
 *
 * Ownership, stated for every pointer:
 *   static    — lives for the whole program; never free it.
 *   borrowed  — owned by the library; valid until the event named; never free it.
 *   caller    — the caller owns it and frees it with the function named.
 *   kept      — the library keeps the caller's pointer; the caller keeps the memory
 *               alive until the library lets go (the event named).
 *
 * Errors: a failing function records a thread-local last error (code + message) and
 * a succeeding fallible function clears it. Read it with get_last_error(),
 * native_last_error_message() or get_error_message().
 *
 * Allocation: everything the library allocates goes through one counting allocator
 * (native_live_allocations) that tests can tell to fail (native_fail_allocation_after).
 *
 * Thread safety: the error state is per thread. The library-wide slots (name, callback,
 * stored string, data hook) are guarded inside the library, but a borrowed pointer read
 * from one of them is only valid until another thread replaces it — callers that share
 * those slots across threads must serialise their use.
 */
#ifndef NATIVE_H
#define NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Bounds annotations (seen only by Swift's importer) ---------------------------- */

/* What a pointer parameter may touch, said in the header so that Swift (with the
 * SafeInteropWrappers feature) imports each annotated function a second time, taking a
 * Span, MutableSpan or RawSpan instead of a pointer and a length:
 *   NATIVE_COUNTED_BY(n)   the pointer holds `n` elements (NULL only when n is 0);
 *   NATIVE_SIZED_BY(n)     the same, in bytes, for a void pointer;
 *   NATIVE_NOESCAPE        the function does not keep the pointer after it returns;
 *   NATIVE_LIFETIMEBOUND   the returned pointer borrows from this argument.
 * The macros expand to nothing for every other compiler (C, C++, the Rust and seed
 * programs), so the ABI and the C behaviour are the same with or without them. They also
 * expand to nothing for a Swift importer without SafeInteropWrappers: it does not parse a
 * count named after its pointer (`len` comes later), so the header would not import. */
#if defined(__swift__) && defined(__has_feature) && defined(__has_attribute)
#if __has_feature(bounds_safety_attributes) && __has_attribute(__noescape__) && __has_attribute(__lifetimebound__)
#define NATIVE_COUNTED_BY(n) __attribute__((__counted_by__(n)))
#define NATIVE_SIZED_BY(n) __attribute__((__sized_by__(n)))
#define NATIVE_NOESCAPE __attribute__((__noescape__))
#define NATIVE_LIFETIMEBOUND __attribute__((__lifetimebound__))
#endif
#endif
#ifndef NATIVE_COUNTED_BY
#define NATIVE_COUNTED_BY(n)
#define NATIVE_SIZED_BY(n)
#define NATIVE_NOESCAPE
#define NATIVE_LIFETIMEBOUND
#endif

/* ---- Errors (tutorial Example 6) ------------------------------------------------- */

/** Error codes of the last error. Codes above 3 are not known to the tutorial's enum. */
enum {
    NATIVE_OK = 0,
    NATIVE_ERROR_INVALID_INPUT = 1,
    NATIVE_ERROR_OUT_OF_MEMORY = 2,
    NATIVE_ERROR_IO = 3,
    NATIVE_ERROR_OUT_OF_RANGE = 4,
    NATIVE_ERROR_LIMIT = 5,
};

/** Returns `input * 2`. Fails with -1: input < 0 → code 1; input > 1,000,000 → code 2;
 *  input == 13 → code 3; 500,000 ≤ input ≤ 1,000,000 → code 4. */
int perform_operation(int input);

/** The thread's last error code; 0 when the last fallible call succeeded. */
int get_last_error(void);

/** Static description of an error code, or NULL for a code the library does not define. */
const char *get_error_string(int error_code);

/** Borrowed: the thread's last error message ("" when none); valid until the thread's
 *  next call into the library. */
const char *native_last_error_message(void);

/* ---- Allocation accounting (tests and fault injection) --------------------------- */

/** Number of blocks the library has allocated and not yet freed. */
size_t native_live_allocations(void);

/** Makes the allocation after the next `n` successful ones fail, once (n = 0: the very
 *  next one). A negative `n` turns injection off. Process-wide. */
void native_fail_allocation_after(long n);

/* ---- Example 1: basic calls -------------------------------------------------------- */

/** FNV-1a 64-bit hash of `len` bytes. `data` may be NULL only when `len` is 0; otherwise
 *  returns 0 and sets code 1. */
uint64_t compute_hash(const uint8_t *NATIVE_COUNTED_BY(len) NATIVE_NOESCAPE data, size_t len);

/** Twice `value`, saturating at INT32_MIN/INT32_MAX. Defined here, in the header, so
 *  callers in any language that imports the header can inline it (no LTO needed);
 *  process_array applies it to each element. */
static inline int32_t native_double_saturating(int32_t value) {
    if (value > INT32_MAX / 2) {
        return INT32_MAX;
    }
    if (value < INT32_MIN / 2) {
        return INT32_MIN;
    }
    return value * 2;
}

/** The same as native_double_saturating, as an ordinary function call (for comparison). */
int32_t native_double_saturating_call(int32_t value);

/** Doubles each element in place, saturating at INT32_MIN/INT32_MAX. Returns `len`, or -1
 *  (code 1) when `arr` is NULL with `len` > 0 or `len` > INT_MAX. */
int process_array(int32_t *NATIVE_COUNTED_BY(len) NATIVE_NOESCAPE arr, size_t len);

/* ---- Example 2: strings ------------------------------------------------------------ */

/** Static: the library version, e.g. "1.0.0". */
const char *get_version(void);

/** Copies `name` (1...63 bytes of valid UTF-8). Returns false and sets the last error for
 *  NULL (1), empty (1), longer than 63 bytes (1), invalid UTF-8 (1), no memory (2). */
bool set_name(const char *name);

/** Borrowed: the current name, or NULL when none is set; valid until the next set_name
 *  or native_clear_name. */
const char *get_name(void);

/** Forgets the current name and frees its copy. */
void native_clear_name(void);

/** Caller frees with free_string: a copy of the thread's last error message, or NULL when
 *  the last call succeeded — or when the copy could not be allocated (get_last_error()
 *  is then still non-zero). */
char *get_error_message(void);

/** Frees a string returned by get_error_message. NULL is ignored. */
void free_string(char *s);

/* ---- Example 3: structs ------------------------------------------------------------ */

typedef struct Point {
    double x;
    double y;
} Point;

typedef struct Rect {
    Point top_left;
    Point bottom_right;
} Rect;

typedef struct Color {
    uint8_t r;
    uint8_t g;
    uint8_t b;
    uint8_t a;
} Color;

/** Euclidean distance. */
double calculate_distance(Point p1, Point p2);

/** True when `point` lies inside `rect` or on its edge; the corners may come in any
 *  order. False for a NULL rect or any NaN coordinate. */
bool rect_contains_point(const Rect *rect, Point point);

/** The largest number of steps create_gradient accepts. */
#define NATIVE_GRADIENT_MAX_STEPS 1048576

/** Caller frees with free_colors: `steps` colours interpolated linearly from `start` to
 *  `end` (both included), each channel rounded half away from zero. NULL and code 1 for
 *  steps ≤ 0 or > NATIVE_GRADIENT_MAX_STEPS; NULL and code 2 when out of memory. */
Color *create_gradient(Color start, Color end, int steps);

/** Frees an array returned by create_gradient. NULL is ignored. */
void free_colors(Color *colors);

/* ---- Example 4: callbacks ---------------------------------------------------------- */

typedef void (*native_item_callback)(int value, void *user_data);

/** Kept: stores `callback` and `user_data` in the library's single callback slot,
 *  replacing what was there, until unregister_callback. */
void register_callback(native_item_callback callback, void *user_data);

/** Calls the registered callback once per item, in order, on the calling thread, with the
 *  registered user_data. Nothing is called when no callback is registered. NULL `items`
 *  with `count` > 0 delivers nothing and sets code 1. */
void process_items(const int *NATIVE_COUNTED_BY(count) NATIVE_NOESCAPE items, size_t count);

/** Empties the callback slot; the library forgets the callback and its user_data. */
void unregister_callback(void);

/** Whether a callback is registered. */
bool native_callback_is_registered(void);

/* ---- Example 5: opaque handles ----------------------------------------------------- */

typedef struct OpaqueHandle OpaqueHandle;

/** The largest configuration create_handle accepts, in bytes. */
#define NATIVE_HANDLE_MAX_CONFIG 4096

/** Caller frees with destroy_handle: a handle holding a copy of `config` (1...4096 bytes).
 *  NULL and code 1 for a NULL config or a bad length; NULL and code 2 when out of memory. */
OpaqueHandle *create_handle(const uint8_t *NATIVE_COUNTED_BY(len) NATIVE_NOESCAPE config, size_t len);

/** The FNV-1a hash of the handle's configuration folded to 31 bits (never negative);
 *  -1 and code 1 for NULL. */
int32_t use_handle(const OpaqueHandle *handle);

/** Frees a handle. NULL is ignored. */
void destroy_handle(OpaqueHandle *handle);

/* ---- Example 7: arrays and buffers ------------------------------------------------- */

/** The largest buffer allocate_buffer and create_buffer accept: 1 GiB. */
#define NATIVE_BUFFER_MAX_SIZE ((size_t)1 << 30)

/** Sum of `len` floats, added in order. 0 and code 1 for NULL with `len` > 0. */
float sum_array(const float *NATIVE_COUNTED_BY(len) NATIVE_NOESCAPE arr, size_t len);

/** Adds 1 to each element in place, wrapping INT_MAX to INT_MIN. NULL with `len` > 0
 *  does nothing and sets code 1. */
void modify_array(int *NATIVE_COUNTED_BY(len) NATIVE_NOESCAPE arr, size_t len);

/** Caller frees with free_buffer: `size` zeroed bytes. NULL and code 1 for size 0 or
 *  > NATIVE_BUFFER_MAX_SIZE; NULL and code 2 when out of memory. */
uint8_t *allocate_buffer(size_t size);

/** Frees a buffer returned by allocate_buffer. NULL is ignored. */
void free_buffer(uint8_t *ptr);

/** Sets `size` bytes to `pattern`. NULL with `size` > 0 does nothing and sets code 1. */
void fill_buffer(uint8_t *NATIVE_COUNTED_BY(size) NATIVE_NOESCAPE buffer, size_t size, uint8_t pattern);

/* ---- Anti-patterns ------------------------------------------------------------------ */

/** The number of bytes get_data and allocate_data return. */
#define NATIVE_DATA_LENGTH 16

/** Static: NATIVE_DATA_LENGTH bytes of library data, or NULL while the data is
 *  unavailable (see native_set_data_available). */
const uint8_t *get_data(void);

/** Test hook: makes get_data return NULL (false) or its data (true, the default). */
void native_set_data_available(bool available);

/** Caller frees with free_data: a fresh copy of the NATIVE_DATA_LENGTH data bytes. NULL
 *  and code 2 when out of memory. */
uint8_t *allocate_data(void);

/** Frees a block returned by allocate_data. NULL is ignored. */
void free_data(uint8_t *ptr);

/** Kept, NOT copied: the library keeps `s` itself until the next store_string call
 *  (NULL clears the slot). The caller must keep the string alive and unchanged until then. */
void store_string(const char *s);

/** Borrowed from the caller of store_string: the pointer last stored, or NULL. */
const char *stored_string(void);

/* ---- Zero-copy buffers --------------------------------------------------------------- */

/** Caller frees with destroy_buffer: a handle owning `size` zeroed bytes. NULL and code 1
 *  for size 0 or > NATIVE_BUFFER_MAX_SIZE; NULL and code 2 when out of memory. */
void *create_buffer(size_t size);

/** Frees a buffer handle and its bytes. NULL is ignored. */
void destroy_buffer(void *buffer);

/** Borrowed: the buffer's bytes, valid until destroy_buffer; NULL for a NULL handle. */
uint8_t *get_buffer_data(void *buffer NATIVE_LIFETIMEBOUND);

/** The buffer's size in bytes; 0 for a NULL handle. */
size_t get_buffer_size(void *buffer);

/** Adds 1 to each byte in place, wrapping 255 to 0. 0 on success, -1 (code 1) for NULL. */
int process_buffer(void *buffer);

/* ---- Events (tutorial: "Callback with Context") ---------------------------------- */

/** The tutorial's event callback: it receives no length, so it cannot know how many
 *  bytes `data` holds. Prefer native_event_callback_ex. */
typedef void (*native_event_callback)(int event_type, const void *data, void *user_data);

/** An event callback that receives the payload's exact length. `data` may be NULL only
 *  when `length` is 0. */
typedef void (*native_event_callback_ex)(int event_type, const void *data, size_t length, void *user_data);

/** The most handlers registered at once. */
#define NATIVE_MAX_EVENT_HANDLERS 64

/* Guarantees of the registry:
 *  - Handlers are called outside any lock: a handler may register, unregister or trigger
 *    from inside its own call without deadlock.
 *  - Once unregister_event_handler(id) returns, that handler is not running on any other
 *    thread and will never be called again, so its user_data may be freed. Called from
 *    inside the handler's own call, it returns without waiting for that call (which is
 *    still running, on this thread) and no new call starts.
 *  - Two handlers that unregister each other from two threads at once wait for each
 *    other: do not do that.
 *  - Calls are made on the triggering thread, in registration-slot order. */

/** Kept: registers `callback` with `user_data` until unregister_event_handler. Returns a
 *  positive handler id, or -1: code 1 for a NULL callback, code 5 when
 *  NATIVE_MAX_EVENT_HANDLERS handlers are registered. */
int register_event_handler(native_event_callback callback, void *user_data);

/** As register_event_handler, for a callback that receives the payload's length. */
int native_register_event_handler_ex(native_event_callback_ex callback, void *user_data);

/** Unregisters a handler and waits until no other thread is running it (see above).
 *  An unknown or already unregistered id sets code 1 and does nothing else. */
void unregister_event_handler(int handler_id);

/** Calls every registered handler with `data`. The tutorial's form carries no length:
 *  length-aware handlers receive length 0 and must not read `data`. */
void trigger_event(int event_type, const void *data);

/** Calls every registered handler with `length` bytes at `data` (borrowed for the call).
 *  NULL `data` with `length` > 0 calls nothing and sets code 1. */
void native_trigger_event_ex(int event_type, const void *NATIVE_SIZED_BY(length) NATIVE_NOESCAPE data, size_t length);

/** The number of registered handlers (unregistered ones still finishing a call excluded). */
size_t native_event_handler_count(void);

/* ---- An event source on its own thread ------------------------------------------------ */

typedef struct native_event_source native_event_source;

/** The largest payload an event source sends. */
#define NATIVE_EVENT_SOURCE_MAX_PAYLOAD ((size_t)1 << 20)

/** Caller frees with native_event_source_stop: starts a POSIX thread that triggers
 *  `count` events of `event_type` (0: until stopped), `interval_us` microseconds apart.
 *  Event n (from 0) carries `payload_size` bytes, byte i being (n + i) mod 256. NULL and
 *  code 1 for a negative count or a payload above NATIVE_EVENT_SOURCE_MAX_PAYLOAD; code 2
 *  when out of memory; code 5 when the thread cannot be started. */
native_event_source *native_event_source_start(int event_type, long count, unsigned interval_us,
                                               size_t payload_size);

/** Events triggered so far. */
long native_event_source_fired(const native_event_source *source);

/** Blocks until a source with a count has fired all its events. Returns at once for a
 *  source without a count (0) or NULL. */
void native_event_source_wait(native_event_source *source);

/** Stops the thread (after the event in progress), joins it and frees the source.
 *  NULL is ignored. */
void native_event_source_stop(native_event_source *source);

/* ---- A legacy component that is NOT thread-safe (tutorial exercise) -------------------- */

/* Global state changed by plain read-modify-write, as in many older C libraries: calling
 * these functions from two threads at once is a data race. Callers must serialise them. */

/** Sets the total and the update count to 0. */
void legacy_reset(void);

/** Adds `amount` to the total (wrapping) and counts the update. */
void legacy_add(int64_t amount);

/** The total. */
int64_t legacy_total(void);

/** The number of updates since the last reset. */
int64_t legacy_updates(void);

#ifdef __cplusplus
}
#endif

#endif /* NATIVE_H */
