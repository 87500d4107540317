#include "fixture.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_long live_blocks;

static const char *const malformed[] = {
    "ab\xC3(",          /* continuation byte missing at offset 2 */
    "\xC0\xAF",         /* overlong '/' at offset 0 */
    "ok\xED\xA0\x80",   /* surrogate U+D800 at offset 2 */
    "abc\xE2\x82",      /* truncated sequence at offset 3 */
    "\xF4\x90\x80\x80", /* above U+10FFFF at offset 0 */
    "x\x80y",           /* stray continuation at offset 1 */
};

const char *fixture_valid_string(void) {
    return "h\xC3\xA9llo";
}

const char *fixture_null_string(void) {
    return NULL;
}

const char *fixture_malformed_string(int which) {
    if (which < 0 || which >= (int)(sizeof malformed / sizeof malformed[0])) {
        return NULL;
    }
    return malformed[which];
}

static void *counted_malloc(size_t size) {
    void *block = malloc(size == 0 ? 1 : size);
    if (block != NULL) {
        atomic_fetch_add(&live_blocks, 1);
    }
    return block;
}

char *fixture_strdup(const char *text) {
    size_t size = strlen(text) + 1;
    char *copy = counted_malloc(size);
    if (copy != NULL) {
        memcpy(copy, text, size);
    }
    return copy;
}

int *fixture_make_ints(size_t count) {
    int *ints = counted_malloc(sizeof(int) * count);
    for (size_t i = 0; ints != NULL && i < count; i++) {
        ints[i] = (int)i;
    }
    return ints;
}

void fixture_free(void *block) {
    if (block != NULL) {
        atomic_fetch_sub(&live_blocks, 1);
        free(block);
    }
}

long fixture_live_blocks(void) {
    return atomic_load(&live_blocks);
}

void fixture_each(const int *items, size_t count, void (*callback)(int, void *), void *context) {
    for (size_t i = 0; i < count; i++) {
        callback(items[i], context);
    }
}

int fixture_foreach(const int *items, size_t count, int (*callback)(int, void *), void *context) {
    for (size_t i = 0; i < count; i++) {
        int status = callback(items[i], context);
        if (status != 0) return status;
    }
    return 0;
}

/* The slot is guarded so that the fire and unregister sides need no other agreement:
 * fixture_unregister waits for a running fixture_fire to return. */
#include <pthread.h>

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static fixture_callback slot_callback;
static void *slot_context;

int fixture_register(fixture_callback callback, void *context) {
    pthread_mutex_lock(&slot_lock);
    int token = -1;
    if (slot_callback == NULL) {
        slot_callback = callback;
        slot_context = context;
        token = 1;
    }
    pthread_mutex_unlock(&slot_lock);
    return token;
}

void fixture_unregister(int token) {
    pthread_mutex_lock(&slot_lock);
    if (token == 1) {
        slot_callback = NULL;
        slot_context = NULL;
    }
    pthread_mutex_unlock(&slot_lock);
}

int fixture_is_registered(void) {
    pthread_mutex_lock(&slot_lock);
    int registered = slot_callback != NULL;
    pthread_mutex_unlock(&slot_lock);
    return registered;
}

void fixture_fire(int value) {
    /* Held during the call: simple, and it makes unregister wait for a running call. */
    pthread_mutex_lock(&slot_lock);
    if (slot_callback != NULL) {
        slot_callback(value, slot_context);
    }
    pthread_mutex_unlock(&slot_lock);
}

static atomic_long write_calls;

int fixture_copy_text(const char *text, char *dest, size_t *dest_len) {
    atomic_fetch_add(&write_calls, 1);
    size_t needed = strlen(text);
    if (needed > *dest_len) {
        *dest_len = needed;
        return 1;
    }
    memcpy(dest, text, needed);
    *dest_len = needed;
    return 0;
}

long fixture_write_calls(void) {
    return atomic_load(&write_calls);
}

unsigned long fixture_sum_bytes(const unsigned char *bytes, unsigned short len) {
    unsigned long sum = 0;
    for (unsigned short i = 0; i < len; i++) {
        sum += bytes[i];
    }
    return sum;
}

void fixture_increment(int *values, int len) {
    for (int i = 0; i < len; i++) {
        values[i] += 1;
    }
}

static atomic_long state_ends;
static atomic_long state_live;

int fixture_state_init(fixture_state *state, int fail) {
    if (fail || state->reserved != 0) {
        return -1;
    }
    state->history = malloc(sizeof(int));
    if (state->history == NULL) {
        return -1;
    }
    state->self = state;
    state->total = 0;
    atomic_fetch_add(&state_live, 1);
    return 0;
}

int fixture_state_add(fixture_state *state, int value) {
    if (state->self != state) {
        return -1;
    }
    state->total += value;
    return 0;
}

void fixture_state_end(fixture_state *state) {
    free(state->history);
    state->history = NULL;
    atomic_fetch_add(&state_ends, 1);
    atomic_fetch_sub(&state_live, 1);
}

long fixture_state_ends(void) {
    return atomic_load(&state_ends);
}

long fixture_state_live(void) {
    return atomic_load(&state_live);
}

long fixture_sort(int *values, size_t count, int (*compare)(int lhs, int rhs, void *context), void *context) {
    long comparisons = 0;
    for (size_t i = 1; i < count; i++) {
        int value = values[i];
        size_t j = i;
        while (j > 0) {
            comparisons++;
            if (compare(values[j - 1], value, context) <= 0) {
                break;
            }
            values[j] = values[j - 1];
            j--;
        }
        values[j] = value;
    }
    return comparisons;
}

int fixture_stream_step(fixture_stream *stream) {
    if (stream->ended) {
        return -1;
    }
    if (stream->pending < 0 && stream->next_in == NULL && stream->avail_in == 0) {
        stream->pending = -1;
    }
    for (;;) {
        if (stream->pending >= 0) {
            if (stream->avail_out == 0) {
                return 0;
            }
            *stream->next_out++ = (unsigned char)stream->pending;
            stream->avail_out--;
            stream->pending = -1;
        }
        if (stream->avail_in == 0 || stream->avail_out == 0) {
            return 0;
        }
        unsigned char byte = *stream->next_in++;
        stream->avail_in--;
        if (byte == 0) {
            stream->ended = 1;
            return 1;
        }
        *stream->next_out++ = byte;
        stream->avail_out--;
        stream->pending = byte;
    }
}
