/* Example 4: one global callback slot, called synchronously on the caller's thread. */
#include "native_internal.h"

#include <pthread.h>

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static native_item_callback slot_callback;
static void *slot_user_data;

void register_callback(native_item_callback callback, void *user_data) {
    pthread_mutex_lock(&slot_lock);
    slot_callback = callback;
    slot_user_data = user_data;
    pthread_mutex_unlock(&slot_lock);
}

void unregister_callback(void) {
    register_callback(NULL, NULL);
}

bool native_callback_is_registered(void) {
    pthread_mutex_lock(&slot_lock);
    bool registered = slot_callback != NULL;
    pthread_mutex_unlock(&slot_lock);
    return registered;
}

void process_items(const int *items, size_t count) {
    if (items == NULL && count > 0) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "NULL items with count %zu", count);
        return;
    }
    /* The callback runs outside the lock, so it may call back into the library. */
    pthread_mutex_lock(&slot_lock);
    native_item_callback callback = slot_callback;
    void *user_data = slot_user_data;
    pthread_mutex_unlock(&slot_lock);
    native_clear_error();
    if (callback == NULL) {
        return;
    }
    for (size_t i = 0; i < count; i++) {
        callback(items[i], user_data);
    }
}
