/* The event registry: handlers called outside the lock, with in-flight tracking so that
 * unregistering waits for running calls, and an event source on its own thread. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "native_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

typedef struct handler_slot {
    int id; /* 0: free */
    native_event_callback callback;
    native_event_callback_ex callback_ex;
    void *user_data;
    bool removed;       /* unregistered, but a call may still be finishing */
    unsigned in_flight; /* calls running now */
} handler_slot;

/* A call in progress on this thread, so unregistering from inside it does not wait for it. */
typedef struct running_call {
    int id;
    struct running_call *outer;
} running_call;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t registry_idle = PTHREAD_COND_INITIALIZER;
static handler_slot slots[NATIVE_MAX_EVENT_HANDLERS];
static int last_id;
static _Thread_local running_call *innermost_call;

/* Requires registry_lock. */
static handler_slot *find_live(int id) {
    if (id <= 0) {
        return NULL;
    }
    for (int i = 0; i < NATIVE_MAX_EVENT_HANDLERS; i++) {
        if (slots[i].id == id && !slots[i].removed) {
            return &slots[i];
        }
    }
    return NULL;
}

/* Requires registry_lock: the next id, positive and not in use. */
static int next_id(void) {
    for (;;) {
        last_id = last_id == 0x7FFFFFFF ? 1 : last_id + 1;
        bool taken = false;
        for (int i = 0; i < NATIVE_MAX_EVENT_HANDLERS; i++) {
            taken = taken || slots[i].id == last_id;
        }
        if (!taken) {
            return last_id;
        }
    }
}

static int add_handler(native_event_callback callback, native_event_callback_ex callback_ex, void *user_data) {
    if (callback == NULL && callback_ex == NULL) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "event callback is NULL");
        return -1;
    }
    pthread_mutex_lock(&registry_lock);
    for (int i = 0; i < NATIVE_MAX_EVENT_HANDLERS; i++) {
        if (slots[i].id == 0) {
            slots[i] = (handler_slot){
                .id = next_id(), .callback = callback, .callback_ex = callback_ex, .user_data = user_data,
            };
            int id = slots[i].id;
            pthread_mutex_unlock(&registry_lock);
            native_clear_error();
            return id;
        }
    }
    pthread_mutex_unlock(&registry_lock);
    native_set_error(NATIVE_ERROR_LIMIT, "event handler table is full (%d handlers)", NATIVE_MAX_EVENT_HANDLERS);
    return -1;
}

int register_event_handler(native_event_callback callback, void *user_data) {
    return add_handler(callback, NULL, user_data);
}

int native_register_event_handler_ex(native_event_callback_ex callback, void *user_data) {
    return add_handler(NULL, callback, user_data);
}

static unsigned calls_on_this_thread(int id) {
    unsigned count = 0;
    for (running_call *call = innermost_call; call != NULL; call = call->outer) {
        count += call->id == id;
    }
    return count;
}

void unregister_event_handler(int handler_id) {
    pthread_mutex_lock(&registry_lock);
    handler_slot *slot = find_live(handler_id);
    if (slot == NULL) {
        pthread_mutex_unlock(&registry_lock);
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "no event handler with id %d", handler_id);
        return;
    }
    slot->removed = true;
    unsigned own = calls_on_this_thread(handler_id);
    /* While this thread waits, the last call on another thread may free the slot and a new
     * registration may take it: the slot is ours only while it still holds handler_id. */
    while (slot->id == handler_id && slot->in_flight > own) {
        pthread_cond_wait(&registry_idle, &registry_lock);
    }
    if (slot->id == handler_id && slot->in_flight == 0) {
        *slot = (handler_slot){0};
    } /* otherwise the last of this thread's own calls frees the slot when it returns */
    pthread_mutex_unlock(&registry_lock);
    native_clear_error();
}

size_t native_event_handler_count(void) {
    pthread_mutex_lock(&registry_lock);
    size_t count = 0;
    for (int i = 0; i < NATIVE_MAX_EVENT_HANDLERS; i++) {
        count += slots[i].id != 0 && !slots[i].removed;
    }
    pthread_mutex_unlock(&registry_lock);
    return count;
}

static void deliver(int event_type, const void *data, size_t length) {
    int ids[NATIVE_MAX_EVENT_HANDLERS];
    int count = 0;
    pthread_mutex_lock(&registry_lock);
    for (int i = 0; i < NATIVE_MAX_EVENT_HANDLERS; i++) {
        if (slots[i].id != 0 && !slots[i].removed) {
            ids[count++] = slots[i].id;
        }
    }
    pthread_mutex_unlock(&registry_lock);

    for (int k = 0; k < count; k++) {
        pthread_mutex_lock(&registry_lock);
        handler_slot *slot = find_live(ids[k]);
        if (slot == NULL) { /* unregistered since the snapshot */
            pthread_mutex_unlock(&registry_lock);
            continue;
        }
        slot->in_flight++;
        handler_slot call = *slot;
        pthread_mutex_unlock(&registry_lock);

        running_call frame = {.id = call.id, .outer = innermost_call};
        innermost_call = &frame;
        if (call.callback_ex != NULL) {
            call.callback_ex(event_type, data, length, call.user_data);
        } else {
            call.callback(event_type, data, call.user_data);
        }
        innermost_call = frame.outer;

        pthread_mutex_lock(&registry_lock);
        slot->in_flight--;
        if (slot->removed && slot->in_flight == 0) {
            *slot = (handler_slot){0};
        }
        pthread_cond_broadcast(&registry_idle);
        pthread_mutex_unlock(&registry_lock);
    }
}

void trigger_event(int event_type, const void *data) {
    native_clear_error();
    deliver(event_type, data, 0);
}

void native_trigger_event_ex(int event_type, const void *data, size_t length) {
    if (data == NULL && length > 0) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "NULL event data with length %zu", length);
        return;
    }
    native_clear_error();
    deliver(event_type, data, length);
}

/* ---- event source ---- */

struct native_event_source {
    pthread_t thread;
    int event_type;
    long count;
    unsigned interval_us;
    size_t payload_size;
    uint8_t *payload;
    atomic_long fired;
    atomic_bool stop_requested;
    bool joined;
};

static void *run_source(void *argument) {
    native_event_source *source = argument;
    for (long n = 0; source->count == 0 || n < source->count; n++) {
        if (atomic_load(&source->stop_requested)) {
            break;
        }
        for (size_t i = 0; i < source->payload_size; i++) {
            source->payload[i] = (uint8_t)((size_t)n + i);
        }
        deliver(source->event_type, source->payload, source->payload_size);
        atomic_fetch_add(&source->fired, 1);
        if (source->interval_us > 0) {
            struct timespec pause = {.tv_sec = source->interval_us / 1000000,
                                     .tv_nsec = (long)(source->interval_us % 1000000) * 1000};
            while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
            }
        }
    }
    return NULL;
}

native_event_source *native_event_source_start(int event_type, long count, unsigned interval_us,
                                               size_t payload_size) {
    if (count < 0) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "event count must not be negative, got %ld", count);
        return NULL;
    }
    if (payload_size > NATIVE_EVENT_SOURCE_MAX_PAYLOAD) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT, "payload must be at most %zu bytes, got %zu",
                         NATIVE_EVENT_SOURCE_MAX_PAYLOAD, payload_size);
        return NULL;
    }
    native_event_source *source = native_alloc(sizeof *source);
    if (source == NULL) {
        native_set_error(NATIVE_ERROR_OUT_OF_MEMORY, "no memory for the event source");
        return NULL;
    }
    *source = (native_event_source){
        .event_type = event_type, .count = count, .interval_us = interval_us, .payload_size = payload_size,
    };
    atomic_init(&source->fired, 0);
    atomic_init(&source->stop_requested, false);
    if (payload_size > 0) {
        source->payload = native_alloc(payload_size);
        if (source->payload == NULL) {
            native_free(source);
            native_set_error(NATIVE_ERROR_OUT_OF_MEMORY, "no memory for a %zu-byte payload", payload_size);
            return NULL;
        }
    }
    int status = pthread_create(&source->thread, NULL, run_source, source);
    if (status != 0) {
        native_free(source->payload);
        native_free(source);
        native_set_error(NATIVE_ERROR_LIMIT, "cannot start the event thread: %s", strerror(status));
        return NULL;
    }
    native_clear_error();
    return source;
}

long native_event_source_fired(const native_event_source *source) {
    return source == NULL ? 0 : atomic_load(&((native_event_source *)source)->fired);
}

void native_event_source_wait(native_event_source *source) {
    if (source == NULL || source->count == 0 || source->joined) {
        return;
    }
    pthread_join(source->thread, NULL);
    source->joined = true;
}

void native_event_source_stop(native_event_source *source) {
    if (source == NULL) {
        return;
    }
    atomic_store(&source->stop_requested, true);
    if (!source->joined) {
        pthread_join(source->thread, NULL);
    }
    native_free(source->payload);
    native_free(source);
}
