/* Example 2: strings in both directions, with explicit ownership. */
#include "native_internal.h"

#include <pthread.h>
#include <string.h>

enum { NAME_MAX_BYTES = 63 };

static pthread_mutex_t name_lock = PTHREAD_MUTEX_INITIALIZER;
static char *current_name;

const char *get_version(void) {
    return "1.0.0";
}

bool set_name(const char *name) {
    if (name == NULL) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "name is NULL");
        return false;
    }
    size_t length = 0;
    while (length <= NAME_MAX_BYTES && name[length] != '\0') {
        length++;
    }
    if (length == 0) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "name is empty");
        return false;
    }
    if (length > NAME_MAX_BYTES) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "name is longer than %d bytes",
                         NAME_MAX_BYTES);
        return false;
    }
    if (!native_is_valid_utf8((const uint8_t *)name, length)) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "name is not valid UTF-8");
        return false;
    }
    char *copy = native_alloc(length + 1);
    if (copy == NULL) {
        native_set_error(NATIVE_ERROR_OUT_OF_MEMORY, "no memory for a %zu-byte copy",
                         length + 1);
        return false;
    }
    memcpy(copy, name, length + 1);
    pthread_mutex_lock(&name_lock);
    char *previous = current_name;
    current_name = copy;
    pthread_mutex_unlock(&name_lock);
    native_free(previous);
    native_clear_error();
    return true;
}

const char *get_name(void) {
    pthread_mutex_lock(&name_lock);
    const char *name = current_name;
    pthread_mutex_unlock(&name_lock);
    return name;
}

void native_clear_name(void) {
    pthread_mutex_lock(&name_lock);
    char *previous = current_name;
    current_name = NULL;
    pthread_mutex_unlock(&name_lock);
    native_free(previous);
}

char *get_error_message(void) {
    if (get_last_error() == NATIVE_OK) {
        return NULL;
    }
    const char *message = native_last_error_message();
    size_t size = strlen(message) + 1;
    char *copy = native_alloc(size);
    if (copy == NULL) {
        return NULL; /* the last error stays as it was, so the caller can tell */
    }
    memcpy(copy, message, size);
    return copy;
}

void free_string(char *s) {
    native_free(s);
}
