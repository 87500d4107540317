/* The tutorial's anti-pattern functions: a pointer that may be NULL, a block the caller
 * must free, and a string the library keeps without copying. */
#include "native_internal.h"

#include <stdatomic.h>
#include <string.h>

static const uint8_t library_data[NATIVE_DATA_LENGTH] = {
    0x4E, 0x41, 0x54, 0x49, 0x56, 0x45, 0x00, 0x01, 0x02, 0x03, 0x7F, 0x80, 0xC0, 0xFE, 0xFF, 0x2A,
};

static atomic_bool data_available = true;
static _Atomic(const char *) kept_string;

const uint8_t *get_data(void) {
    return atomic_load(&data_available) ? library_data : NULL;
}

void native_set_data_available(bool available) {
    atomic_store(&data_available, available);
}

uint8_t *allocate_data(void) {
    uint8_t *block = native_alloc(NATIVE_DATA_LENGTH);
    if (block == NULL) {
        native_set_error(NATIVE_ERROR_OUT_OF_MEMORY, "no memory for %d bytes",
                         NATIVE_DATA_LENGTH);
        return NULL;
    }
    memcpy(block, library_data, NATIVE_DATA_LENGTH);
    native_clear_error();
    return block;
}

void free_data(uint8_t *ptr) {
    native_free(ptr);
}

void store_string(const char *s) {
    atomic_store(&kept_string, s);
}

const char *stored_string(void) {
    return atomic_load(&kept_string);
}
