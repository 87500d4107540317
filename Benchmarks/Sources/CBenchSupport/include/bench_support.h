/* C helpers for the benchmarks: the same functions the C and Rust drivers use. */
#ifndef BENCH_SUPPORT_H
#define BENCH_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/** Caller frees with free: a malloc'd copy of `text`. */
char *bench_strdup(const char *text);

/** Static: a string of `length` 'a's (16 or 1024), the same buffer every call. */
const char *bench_static_string(size_t length);

/** A C callback for process_items: adds `value` to the long at `context`. */
void bench_add_to_total(int value, void *context);

/** A length-aware event handler: adds the payload length to the long at `context`. */
void bench_count_event(int event_type, const void *data, size_t length, void *context);

/** The C driver for the database cases: SQLite with the same settings as KeyValueStore. */
typedef struct bench_db bench_db;
bench_db *bench_db_open(const char *path);
int bench_db_set(bench_db *db, const char *key, const char *value);
/** Copies the value of `key` into a malloc'd buffer the caller frees; NULL when missing. */
char *bench_db_get(bench_db *db, const char *key);
void bench_db_close(bench_db *db);

#endif
