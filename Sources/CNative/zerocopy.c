/* Zero-copy: a buffer the library owns and both sides read and write in place. */
#include "native_internal.h"

#include <string.h>

typedef struct SharedBuffer {
    size_t size;
    uint8_t *data;
} SharedBuffer;

void *create_buffer(size_t size) {
    if (size == 0 || size > NATIVE_BUFFER_MAX_SIZE) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT,
                         "size must be 1...%zu bytes, got %zu",
                         NATIVE_BUFFER_MAX_SIZE, size);
        return NULL;
    }
    SharedBuffer *buffer = native_alloc(sizeof *buffer);
    if (buffer == NULL) {
        native_set_error(NATIVE_ERROR_OUT_OF_MEMORY, "no memory for the buffer handle");
        return NULL;
    }
    buffer->data = native_alloc(size);
    if (buffer->data == NULL) {
        native_free(buffer);
        native_set_error(NATIVE_ERROR_OUT_OF_MEMORY, "no memory for %zu bytes", size);
        return NULL;
    }
    memset(buffer->data, 0, size);
    buffer->size = size;
    native_clear_error();
    return buffer;
}

void destroy_buffer(void *buffer) {
    SharedBuffer *shared = buffer;
    if (shared == NULL) {
        return;
    }
    native_free(shared->data);
    native_free(shared);
}

uint8_t *get_buffer_data(void *buffer) {
    SharedBuffer *shared = buffer;
    return shared == NULL ? NULL : shared->data;
}

size_t get_buffer_size(void *buffer) {
    SharedBuffer *shared = buffer;
    return shared == NULL ? 0 : shared->size;
}

int process_buffer(void *buffer) {
    SharedBuffer *shared = buffer;
    if (shared == NULL) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "buffer is NULL");
        return -1;
    }
    for (size_t i = 0; i < shared->size; i++) {
        shared->data[i] = (uint8_t)(shared->data[i] + 1u);
    }
    native_clear_error();
    return 0;
}
