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

/* ---- Errors (tutorial Example 6) ------------------------------------------------- */

/** Error codes of the last error. Codes above 3 are not known to the tutorial's enum. */
enum {
    NATIVE_OK = 0,
    NATIVE_ERROR_INVALID_INPUT = 1,
    NATIVE_ERROR_OUT_OF_MEMORY = 2,
    NATIVE_ERROR_IO = 3,
    NATIVE_ERROR_OUT_OF_RANGE = 4,
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
uint64_t compute_hash(const uint8_t *data, size_t len);

/** Doubles each element in place, saturating at INT32_MIN/INT32_MAX. Returns `len`, or -1
 *  (code 1) when `arr` is NULL with `len` > 0 or `len` > INT_MAX. */
int process_array(int32_t *arr, size_t len);

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
void process_items(const int *items, size_t count);

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
OpaqueHandle *create_handle(const uint8_t *config, size_t len);

/** The FNV-1a hash of the handle's configuration folded to 31 bits (never negative);
 *  -1 and code 1 for NULL. */
int32_t use_handle(const OpaqueHandle *handle);

/** Frees a handle. NULL is ignored. */
void destroy_handle(OpaqueHandle *handle);

/* ---- Example 7: arrays and buffers ------------------------------------------------- */

/** The largest buffer allocate_buffer and create_buffer accept: 1 GiB. */
#define NATIVE_BUFFER_MAX_SIZE ((size_t)1 << 30)

/** Sum of `len` floats, added in order. 0 and code 1 for NULL with `len` > 0. */
float sum_array(const float *arr, size_t len);

/** Adds 1 to each element in place, wrapping INT_MAX to INT_MIN. NULL with `len` > 0
 *  does nothing and sets code 1. */
void modify_array(int *arr, size_t len);

/** Caller frees with free_buffer: `size` zeroed bytes. NULL and code 1 for size 0 or
 *  > NATIVE_BUFFER_MAX_SIZE; NULL and code 2 when out of memory. */
uint8_t *allocate_buffer(size_t size);

/** Frees a buffer returned by allocate_buffer. NULL is ignored. */
void free_buffer(uint8_t *ptr);

/** Sets `size` bytes to `pattern`. NULL with `size` > 0 does nothing and sets code 1. */
void fill_buffer(uint8_t *buffer, size_t size, uint8_t pattern);

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
uint8_t *get_buffer_data(void *buffer);

/** The buffer's size in bytes; 0 for a NULL handle. */
size_t get_buffer_size(void *buffer);

/** Adds 1 to each byte in place, wrapping 255 to 0. 0 on success, -1 (code 1) for NULL. */
int process_buffer(void *buffer);

#ifdef __cplusplus
}
#endif

#endif /* NATIVE_H */
