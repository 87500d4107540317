/* Example 5: an opaque handle whose layout only the library knows. */
#include "native_internal.h"

#include <string.h>

struct OpaqueHandle {
    size_t length;
    uint8_t *config;
};

OpaqueHandle *create_handle(const uint8_t *config, size_t len) {
    if (config == NULL) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "config is NULL");
        return NULL;
    }
    if (len == 0 || len > NATIVE_HANDLE_MAX_CONFIG) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT,
                         "config must be 1...%d bytes, got %zu",
                         NATIVE_HANDLE_MAX_CONFIG, len);
        return NULL;
    }
    OpaqueHandle *handle = native_alloc(sizeof *handle);
    if (handle == NULL) {
        native_set_error(NATIVE_ERROR_OUT_OF_MEMORY, "no memory for the handle");
        return NULL;
    }
    handle->config = native_alloc(len);
    if (handle->config == NULL) {
        native_free(handle);
        native_set_error(NATIVE_ERROR_OUT_OF_MEMORY, "no memory for %zu config bytes", len);
        return NULL;
    }
    memcpy(handle->config, config, len);
    handle->length = len;
    native_clear_error();
    return handle;
}

int32_t use_handle(const OpaqueHandle *handle) {
    if (handle == NULL) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "handle is NULL");
        return -1;
    }
    uint64_t hash = native_fnv1a(handle->config, handle->length);
    native_clear_error();
    return (int32_t)((hash ^ (hash >> 32)) & 0x7FFFFFFF);
}

void destroy_handle(OpaqueHandle *handle) {
    if (handle == NULL) {
        return;
    }
    native_free(handle->config);
    native_free(handle);
}
