/* The library's runtime: one counting allocator with fault injection, the thread-local
 * last error, and helpers shared by the sections. */
#include "native_internal.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_size_t live_allocations;
static atomic_long allocations_before_failure = -1;

/* Returns true when this allocation is the one told to fail. */
static bool take_injected_failure(void) {
    long remaining = atomic_load(&allocations_before_failure);
    while (remaining >= 0) {
        long next = remaining == 0 ? -1 : remaining - 1;
        if (atomic_compare_exchange_weak(&allocations_before_failure, &remaining, next)) {
            return remaining == 0;
        }
    }
    return false;
}

void *native_alloc(size_t size) {
    if (take_injected_failure()) {
        return NULL;
    }
    void *block = malloc(size == 0 ? 1 : size);
    if (block != NULL) {
        atomic_fetch_add(&live_allocations, 1);
    }
    return block;
}

void native_free(void *block) {
    if (block == NULL) {
        return;
    }
    atomic_fetch_sub(&live_allocations, 1);
    free(block);
}

size_t native_live_allocations(void) {
    return atomic_load(&live_allocations);
}

void native_fail_allocation_after(long n) {
    atomic_store(&allocations_before_failure, n < 0 ? -1 : n);
}

/* ---- last error ---- */

enum { MESSAGE_CAPACITY = 256 };

static _Thread_local int last_error_code;
static _Thread_local char last_error_message[MESSAGE_CAPACITY];

void native_set_error(int code, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(last_error_message, MESSAGE_CAPACITY, format, arguments);
    va_end(arguments);
    last_error_code = code;
}

void native_clear_error(void) {
    last_error_code = NATIVE_OK;
    last_error_message[0] = '\0';
}

int get_last_error(void) {
    return last_error_code;
}

const char *native_last_error_message(void) {
    return last_error_message;
}

const char *get_error_string(int error_code) {
    switch (error_code) {
    case NATIVE_OK:
        return "no error";
    case NATIVE_ERROR_INVALID_INPUT:
        return "invalid input";
    case NATIVE_ERROR_OUT_OF_MEMORY:
        return "out of memory";
    case NATIVE_ERROR_IO:
        return "I/O error";
    case NATIVE_ERROR_OUT_OF_RANGE:
        return "input outside the supported range";
    case NATIVE_ERROR_LIMIT:
        return "limit reached";
    default:
        return NULL;
    }
}

/* ---- shared helpers ---- */

uint64_t native_fnv1a(const uint8_t *bytes, size_t len) {
    uint64_t hash = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < len; i++) {
        hash ^= bytes[i];
        hash *= UINT64_C(1099511628211);
    }
    return hash;
}

bool native_is_valid_utf8(const uint8_t *bytes, size_t len) {
    size_t i = 0;
    while (i < len) {
        uint8_t lead = bytes[i];
        if (lead < 0x80) {
            i += 1;
            continue;
        }
        size_t extra;
        uint32_t minimum;
        uint32_t scalar;
        if (lead >= 0xC2 && lead <= 0xDF) {
            extra = 1, minimum = 0x80, scalar = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            extra = 2, minimum = 0x800, scalar = lead & 0x0F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            extra = 3, minimum = 0x10000, scalar = lead & 0x07;
        } else {
            return false;
        }
        if (len - i <= extra) {
            return false;
        }
        for (size_t k = 1; k <= extra; k++) {
            uint8_t next = bytes[i + k];
            if ((next & 0xC0) != 0x80) {
                return false;
            }
            scalar = (scalar << 6) | (next & 0x3F);
        }
        if (scalar < minimum || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF)) {
            return false;
        }
        i += extra + 1;
    }
    return true;
}
