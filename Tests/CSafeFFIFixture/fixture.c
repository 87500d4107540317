/* pthread_mutexattr_settype and PTHREAD_MUTEX_RECURSIVE (POSIX, not C11). */
#define _XOPEN_SOURCE 700

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

/* ---- The generic library the documentation's articles wrap. ---- */

#include <stdio.h>

const char *fixture_version(void) {
    return "2.1.0";
}

const char *fixture_status_name(int status) {
    switch (status) {
    case FIXTURE_OK: return "ok";
    case FIXTURE_ERR_SYNTAX: return "syntax error";
    case FIXTURE_ERR_RANGE: return "out of range";
    default: return NULL;
    }
}

size_t fixture_word_count(const char *text) {
    size_t words = 0;
    int inside = 0;
    for (; *text != '\0'; text++) {
        if (*text == ' ') {
            inside = 0;
        } else if (!inside) {
            inside = 1;
            words++;
        }
    }
    return words;
}

static atomic_long strings_live;
static atomic_long arrays_live;

char *fixture_greeting(const char *name) {
    if (name == NULL) return NULL;
    size_t size = strlen("Hello, !") + strlen(name) + 1;
    char *text = malloc(size);
    if (text == NULL) return NULL;
    snprintf(text, size, "Hello, %s!", name);
    atomic_fetch_add(&strings_live, 1);
    return text;
}

void fixture_string_free(char *text) {
    if (text != NULL) {
        atomic_fetch_sub(&strings_live, 1);
        free(text);
    }
}

long fixture_strings_live(void) {
    return atomic_load(&strings_live);
}

static void *array_alloc(size_t size) {
    void *array = malloc(size);
    if (array != NULL) atomic_fetch_add(&arrays_live, 1);
    return array;
}

int *fixture_squares(size_t count) {
    if (count == 0) return NULL;
    int *squares = array_alloc(sizeof(int) * count);
    for (size_t i = 0; squares != NULL && i < count; i++) {
        squares[i] = (int)(i * i);
    }
    return squares;
}

void fixture_array_free(void *array) {
    if (array != NULL) {
        atomic_fetch_sub(&arrays_live, 1);
        free(array);
    }
}

long fixture_arrays_live(void) {
    return atomic_load(&arrays_live);
}

#include <math.h>

double fixture_distance(fixture_point a, fixture_point b) {
    return hypot(b.x - a.x, b.y - a.y);
}

int fixture_rect_contains(const fixture_rect *rect, fixture_point point) {
    return point.x >= rect->origin.x && point.x <= rect->origin.x + rect->width && point.y >= rect->origin.y &&
           point.y <= rect->origin.y + rect->height;
}

fixture_point *fixture_path(fixture_point from, fixture_point to, int steps) {
    if (steps < 2) return NULL;
    fixture_point *points = array_alloc(sizeof(fixture_point) * (size_t)steps);
    for (int i = 0; points != NULL && i < steps; i++) {
        double t = (double)i / (double)(steps - 1);
        points[i].x = from.x + (to.x - from.x) * t;
        points[i].y = from.y + (to.y - from.y) * t;
    }
    return points;
}

struct fixture_counter {
    long value;
    char *name;
};

static atomic_long counters_live;

fixture_counter *fixture_counter_create(const char *name) {
    if (name == NULL || name[0] == '\0') return NULL;
    fixture_counter *counter = malloc(sizeof *counter);
    if (counter == NULL) return NULL;
    size_t size = strlen(name) + 1;
    counter->name = malloc(size);
    if (counter->name == NULL) {
        free(counter);
        return NULL;
    }
    memcpy(counter->name, name, size);
    counter->value = 0;
    atomic_fetch_add(&counters_live, 1);
    return counter;
}

void fixture_counter_free(fixture_counter *counter) {
    if (counter == NULL) return;
    atomic_fetch_sub(&counters_live, 1);
    free(counter->name);
    free(counter);
}

void fixture_counter_add(fixture_counter *counter, long amount) {
    long value = counter->value;
    counter->value = value + amount;
}

long fixture_counter_value(const fixture_counter *counter) {
    return counter->value;
}

const char *fixture_counter_name(const fixture_counter *counter) {
    return counter->name;
}

long fixture_counters_live(void) {
    return atomic_load(&counters_live);
}

static _Thread_local char last_error[128];

const char *fixture_last_error(void) {
    return last_error;
}

int fixture_parse_port(const char *text, int *port) {
    long value = 0;
    if (text[0] == '\0') {
        snprintf(last_error, sizeof last_error, "an empty string is not a number");
        return FIXTURE_ERR_SYNTAX;
    }
    for (const char *c = text; *c != '\0'; c++) {
        if (*c < '0' || *c > '9') {
            snprintf(last_error, sizeof last_error, "'%s' is not a number", text);
            return FIXTURE_ERR_SYNTAX;
        }
        if (value <= 65535) value = value * 10 + (*c - '0');
    }
    if (value < 1 || value > 65535) {
        snprintf(last_error, sizeof last_error, "%s is not a port (1-65535)", text);
        return FIXTURE_ERR_RANGE;
    }
    *port = (int)value;
    return FIXTURE_OK;
}

int fixture_format_greeting(const char *name, char *dest, size_t *dest_len) {
    size_t needed = strlen("Hello, !") + strlen(name);
    if (needed > *dest_len) {
        *dest_len = needed;
        return 1;
    }
    memcpy(dest, "Hello, ", 7);
    memcpy(dest + 7, name, strlen(name));
    dest[needed - 1] = '!';
    *dest_len = needed;
    return 0;
}

uint32_t fixture_checksum(const uint8_t *data, size_t len) {
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < len; i++) {
        a = (a + data[i]) % 65521;
        b = (b + a) % 65521;
    }
    return (b << 16) | a;
}

void fixture_fill(uint8_t *buffer, size_t len, uint8_t first) {
    for (size_t i = 0; i < len; i++) {
        buffer[i] = (uint8_t)(first + i);
    }
}

#define SOURCE_SLOTS 4

struct fixture_source {
    /* Recursive: a callback may unsubscribe (itself or another) during emit. */
    pthread_mutex_t lock;
    fixture_event_callback callbacks[SOURCE_SLOTS];
    void *contexts[SOURCE_SLOTS];
};

fixture_source *fixture_source_create(void) {
    fixture_source *source = calloc(1, sizeof *source);
    if (source == NULL) return NULL;
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&source->lock, &attributes);
    pthread_mutexattr_destroy(&attributes);
    return source;
}

void fixture_source_free(fixture_source *source) {
    if (source == NULL) return;
    pthread_mutex_destroy(&source->lock);
    free(source);
}

int fixture_source_subscribe(fixture_source *source, fixture_event_callback callback, void *context) {
    pthread_mutex_lock(&source->lock);
    int id = -1;
    for (int slot = 0; slot < SOURCE_SLOTS; slot++) {
        if (source->callbacks[slot] == NULL) {
            source->callbacks[slot] = callback;
            source->contexts[slot] = context;
            id = slot + 1;
            break;
        }
    }
    pthread_mutex_unlock(&source->lock);
    return id;
}

void fixture_source_unsubscribe(fixture_source *source, int id) {
    /* The lock is held by emit for the whole delivery: taking it waits for a call running
     * on another thread. */
    pthread_mutex_lock(&source->lock);
    if (id >= 1 && id <= SOURCE_SLOTS) {
        source->callbacks[id - 1] = NULL;
        source->contexts[id - 1] = NULL;
    }
    pthread_mutex_unlock(&source->lock);
}

int fixture_source_emit(fixture_source *source, int event) {
    pthread_mutex_lock(&source->lock);
    int called = 0;
    for (int slot = 0; slot < SOURCE_SLOTS; slot++) {
        if (source->callbacks[slot] != NULL) {
            source->callbacks[slot](event, source->contexts[slot]);
            called++;
        }
    }
    pthread_mutex_unlock(&source->lock);
    return called;
}

int fixture_source_subscriptions(fixture_source *source) {
    pthread_mutex_lock(&source->lock);
    int count = 0;
    for (int slot = 0; slot < SOURCE_SLOTS; slot++) {
        count += source->callbacks[slot] != NULL;
    }
    pthread_mutex_unlock(&source->lock);
    return count;
}

int fixture_host_run(const fixture_plugin *plugin, const char *input, char *output, size_t *output_len) {
    if (plugin->abi_version != FIXTURE_PLUGIN_ABI) return -1;
    return plugin->transform(input, output, output_len);
}
