/* Example 1 (basic calls) and Example 6 (error codes). */
#include "native_internal.h"

#include <limits.h>

uint64_t compute_hash(const uint8_t *data, size_t len) {
    if (data == NULL && len > 0) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "NULL data with length %zu", len);
        return 0;
    }
    native_clear_error();
    return native_fnv1a(data, len);
}

int process_array(int32_t *arr, size_t len) {
    if (len > INT_MAX) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "length %zu exceeds INT_MAX", len);
        return -1;
    }
    if (arr == NULL && len > 0) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "NULL array with length %zu", len);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        arr[i] = native_double_saturating(arr[i]);
    }
    native_clear_error();
    return (int)len;
}

int32_t native_double_saturating_call(int32_t value) {
    return native_double_saturating(value);
}

int perform_operation(int input) {
    if (input < 0) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "input %d is negative", input);
        return -1;
    }
    if (input > 1000000) {
        native_set_error(NATIVE_ERROR_OUT_OF_MEMORY,
                         "input %d needs more memory than the library has", input);
        return -1;
    }
    if (input == 13) {
        native_set_error(NATIVE_ERROR_IO, "input 13 failed to reach the device");
        return -1;
    }
    if (input >= 500000) {
        native_set_error(NATIVE_ERROR_OUT_OF_RANGE,
                         "input %d is outside 0...499999", input);
        return -1;
    }
    native_clear_error();
    return input * 2;
}
