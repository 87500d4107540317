/* The C floor: each case of Benchmarks/ done directly in C against libnative (and SQLite,
 * and a plugin library), timed as ffi-compare times the Swift cases. SwiftPM builds it as it
 * builds CNative for Swift (clang, the same flags, libnative linked statically), so the two
 * differ only by the Swift code in between.
 *
 * Usage: bench-c DIRECTORY PLUGIN.so [CASE ITERATIONS]
 * Prints "name<TAB>ns/op" per case; with CASE and ITERATIONS sets up and runs only that case
 * (for callgrind). Each case is set up just before it runs, as the Swift cases are. */
#define _POSIX_C_SOURCE 200809L
#include "native.h"
#include "native_plugin.h"
#include "bench_support.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile uint64_t sink;

typedef struct {
    const char *name;
    long operations;
    void (*run)(void);
    int (*setup)(void); /* NULL, or returns 0 when ready */
} bench_case;

static char *directory, *plugin_path;

static Point p1 = {0, 0}, p2 = {3, 4};
static Rect rect = {{0, 0}, {10, 10}};
static char s15[16], s16[17], s1k[1025];
static int *items;
static float *floats;
static uint8_t bytes64[64], *bytes1m;
static void *shared;
static bench_db *db;
static long db_counter;
static const native_plugin *plugin;
static void *plugin_instance;
static int32_t values[1000];
static long event_total;

static void run_empty(void) { sink = 0; }
static void run_call(void) { sink = (uint64_t)perform_operation(42); }
static void run_struct_value(void) { sink = (uint64_t)calculate_distance(p1, p2); }
static void run_struct_pointer(void) { sink = rect_contains_point(&rect, p1); }
static void run_string_in_15(void) { sink = strlen(s15); }
static void run_string_in_16(void) { sink = strlen(s16); }
static void run_string_in_1k(void) { sink = strlen(s1k); }
/* The floor for a C string into a caller-owned copy: strdup, then free. */
static void string_out(const char *source) {
    char *copy = bench_strdup(source);
    sink = (uint64_t)(uintptr_t)copy;
    free(copy);
}
static void run_string_out_static_16(void) { string_out(bench_static_string(16)); }
static void run_string_out_static_1k(void) { string_out(bench_static_string(1024)); }
static void string_owned(const char *source) {
    char *owned = bench_strdup(source); /* what the C library hands over */
    string_out(owned);                  /* the caller's own copy, as Swift makes */
    free(owned);
}
static void run_string_out_owned_16(void) { string_owned(bench_static_string(16)); }
static void run_string_out_owned_1k(void) { string_owned(bench_static_string(1024)); }
/* The floor for reading a C string in place: its length, and its bytes checked as strict
 * UTF-8 by the plugin ABI's C decoder (native_plugin.h), as Swift's view measures and
 * validates. */
static void string_view(const char *source) {
    size_t invalid_offset = 0;
    size_t length = strlen(source);
    sink = native_plugin_is_utf8(source, &invalid_offset) ? length : invalid_offset;
}
static void run_string_view_16(void) { string_view(bench_static_string(16)); }
static void run_string_view_1k(void) { string_view(bench_static_string(1024)); }
static void run_callback(void) {
    long total = 0;
    register_callback(bench_add_to_total, &total);
    process_items(items, 1000000);
    unregister_callback();
    sink = (uint64_t)total;
}
static void run_sum(void) { sink = (uint64_t)sum_array(floats, 1000000); }
static void run_hash_64(void) { sink = compute_hash(bytes64, 64); }
static void run_hash_1m(void) { sink = compute_hash(bytes1m, 1 << 20); }
static void run_zero_copy(void) {
    const uint8_t *data = get_buffer_data(shared);
    size_t size = get_buffer_size(shared);
    uint64_t total = 0;
    for (size_t i = 0; i < size; i++) {
        total += data[i];
    }
    sink = total;
}
static void run_event(void) {
    static const uint8_t payload[16];
    native_trigger_event_ex(77, payload, sizeof payload);
}
static void run_db_get(void) {
    char *value = bench_db_get(db, "key");
    sink = (uint64_t)(uintptr_t)value;
    free(value);
}
static void run_db_set(void) {
    char key[32];
    snprintf(key, sizeof key, "key-%ld", ++db_counter & 1023);
    sink = (uint64_t)bench_db_set(db, key, "value-0123456789");
}
static void run_plugin(void) {
    static const uint8_t input[] = "sixteen bytes in";
    uint8_t *output = NULL;
    size_t length = 0;
    char *message = NULL;
    sink = (uint64_t)plugin->process(plugin_instance, input, 16, &output, &length, &message);
    plugin->free_memory(output);
    plugin->free_memory(message);
}
static void run_batch_one(void) { modify_array(values, 1000); }
static void run_batch_many(void) {
    for (int i = 0; i < 1000; i++) {
        modify_array(&values[i], 1);
    }
}
static void run_inline_header(void) {
    int32_t total = 0;
    for (int i = 0; i < 1000; i++) {
        total += native_double_saturating(values[i]);
    }
    sink = (uint64_t)total;
}
static void run_inline_call(void) {
    int32_t total = 0;
    for (int i = 0; i < 1000; i++) {
        total += native_double_saturating_call(values[i]);
    }
    sink = (uint64_t)total;
}

static int setup_strings(void) {
    memset(s15, 'a', 15);
    memset(s16, 'a', 16);
    memset(s1k, 'a', 1024);
    return 0;
}
static int setup_items(void) {
    if (items != NULL) {
        return 0;
    }
    items = malloc(sizeof(int) * 1000000);
    if (items == NULL) {
        return -1;
    }
    for (int i = 0; i < 1000000; i++) {
        items[i] = i & 0xFF;
    }
    return 0;
}
static int setup_floats(void) {
    if (floats != NULL) {
        return 0;
    }
    floats = malloc(sizeof(float) * 1000000);
    if (floats == NULL) {
        return -1;
    }
    for (int i = 0; i < 1000000; i++) {
        floats[i] = (float)(i & 0xFF);
    }
    return 0;
}
static int setup_bytes(void) {
    if (bytes1m != NULL) {
        return 0;
    }
    bytes1m = malloc(1 << 20);
    if (bytes1m == NULL) {
        return -1;
    }
    memset(bytes64, 7, sizeof bytes64);
    memset(bytes1m, 7, 1 << 20);
    return 0;
}
static int setup_shared(void) {
    if (shared != NULL) {
        return 0;
    }
    shared = create_buffer(1 << 20);
    return shared == NULL ? -1 : 0;
}
static int setup_event(void) {
    static int registered;
    if (registered++) {
        return 0;
    }
    return native_register_event_handler_ex(bench_count_event, &event_total) < 0 ? -1 : 0;
}
static int setup_db(void) {
    if (db != NULL) {
        return 0;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/c.db", directory);
    db = bench_db_open(path);
    return db == NULL || bench_db_set(db, "key", "value-0123456789") != 0 ? -1 : 0;
}
static int setup_plugin(void) {
    if (plugin != NULL) {
        return 0;
    }
    void *library = dlopen(plugin_path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    void *symbol = library == NULL ? NULL : dlsym(library, NATIVE_PLUGIN_ENTRY_SYMBOL);
    native_plugin_entry_function entry;
    memcpy(&entry, &symbol, sizeof entry);
    plugin = symbol == NULL ? NULL : entry();
    char *message = NULL;
    return plugin == NULL || plugin->create(plugin, "ascii", &plugin_instance, &message) != NATIVE_PLUGIN_OK ? -1 : 0;
}
static int setup_values(void) {
    for (int i = 0; i < 1000; i++) {
        values[i] = i;
    }
    return 0;
}

static const bench_case cases[] = {
    {"empty", 1, run_empty},
    {"call", 1, run_call},
    {"struct-by-value", 1, run_struct_value},
    {"struct-by-pointer", 1, run_struct_pointer},
    {"string-in-15", 1, run_string_in_15, setup_strings},
    {"string-in-16", 1, run_string_in_16, setup_strings},
    {"string-in-1k", 1, run_string_in_1k, setup_strings},
    {"string-out-static-16", 1, run_string_out_static_16},
    {"string-out-static-1k", 1, run_string_out_static_1k},
    {"string-out-owned-16", 1, run_string_out_owned_16},
    {"string-out-owned-1k", 1, run_string_out_owned_1k},
    {"string-view-16", 1, run_string_view_16},
    {"string-view-1k", 1, run_string_view_1k},
    {"callback-1e6", 1000000, run_callback, setup_items},
    {"sum-1e6", 1, run_sum, setup_floats},
    {"hash-64", 1, run_hash_64, setup_bytes},
    {"hash-1M", 1, run_hash_1m, setup_bytes},
    {"zero-copy-view-1M", 1, run_zero_copy, setup_shared},
    {"event-registry", 1, run_event, setup_event},
    {"db-get", 1, run_db_get, setup_db},
    {"db-set", 1, run_db_set, setup_db},
    {"plugin-call", 1, run_plugin, setup_plugin},
    {"batch-one-call", 1000, run_batch_one, setup_values},
    {"batch-many-calls", 1000, run_batch_many, setup_values},
    {"inline-header", 1000, run_inline_header, setup_values},
    {"inline-call", 1000, run_inline_call, setup_values},
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: bench-c DIRECTORY PLUGIN.so [CASE ITERATIONS]\n");
        return 2;
    }
    directory = argv[1];
    plugin_path = argv[2];
    size_t count = sizeof cases / sizeof cases[0];
    if (argc == 5) {
        for (size_t k = 0; k < count; k++) {
            if (strcmp(cases[k].name, argv[3]) == 0) {
                if (cases[k].setup != NULL && cases[k].setup() != 0) {
                    fprintf(stderr, "bench-c: set-up of %s failed\n", cases[k].name);
                    return 1;
                }
                long iterations = atol(argv[4]);
                for (long i = 0; i < iterations; i++) {
                    cases[k].run();
                }
                return 0;
            }
        }
        fprintf(stderr, "bench-c: unknown case %s\n", argv[3]);
        return 2;
    }
    for (size_t k = 0; k < count; k++) {
        if (cases[k].setup != NULL && cases[k].setup() != 0) {
            fprintf(stderr, "bench-c: set-up of %s failed\n", cases[k].name);
            return 1;
        }
        cases[k].run(); /* warm up */
        long repeats = 1;
        for (;;) {
            double start = now();
            for (long i = 0; i < repeats; i++) {
                cases[k].run();
            }
            if (now() - start >= 0.01 || repeats >= (1L << 24)) {
                break;
            }
            repeats *= 2;
        }
        double samples[15];
        for (int s = 0; s < 15; s++) {
            double start = now();
            for (long i = 0; i < repeats; i++) {
                cases[k].run();
            }
            samples[s] = (now() - start) * 1e9 / (double)(repeats * cases[k].operations);
        }
        qsort(samples, 15, sizeof samples[0], compare_doubles);
        printf("%s\t%.4f\n", cases[k].name, samples[7]);
    }
    return 0;
}
