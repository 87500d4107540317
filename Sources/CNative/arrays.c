/* Example 7: arrays the caller owns, and buffers the library allocates. */
#include "native_internal.h"

#include <string.h>

float sum_array(const float *arr, size_t len) {
    if (arr == NULL && len > 0) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "NULL array with length %zu", len);
        return 0.0f;
    }
    float sum = 0.0f;
    for (size_t i = 0; i < len; i++) {
        sum += arr[i];
    }
    native_clear_error();
    return sum;
}

void modify_array(int *arr, size_t len) {
    if (arr == NULL && len > 0) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "NULL array with length %zu", len);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        /* Unsigned arithmetic wraps without undefined behaviour. */
        arr[i] = (int)(unsigned)((unsigned)arr[i] + 1u);
    }
    native_clear_error();
}

uint8_t *allocate_buffer(size_t size) {
    if (size == 0 || size > NATIVE_BUFFER_MAX_SIZE) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT,
                         "size must be 1...%zu bytes, got %zu",
                         NATIVE_BUFFER_MAX_SIZE, size);
        return NULL;
    }
    uint8_t *buffer = native_alloc(size);
    if (buffer == NULL) {
        native_set_error(NATIVE_ERROR_OUT_OF_MEMORY, "no memory for %zu bytes", size);
        return NULL;
    }
    memset(buffer, 0, size);
    native_clear_error();
    return buffer;
}

void free_buffer(uint8_t *ptr) {
    native_free(ptr);
}

void fill_buffer(uint8_t *buffer, size_t size, uint8_t pattern) {
    if (buffer == NULL && size > 0) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "NULL buffer with size %zu", size);
        return;
    }
    if (size > 0) {
        memset(buffer, pattern, size);
    }
    native_clear_error();
}
