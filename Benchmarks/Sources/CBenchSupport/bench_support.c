#include "bench_support.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

char *bench_strdup(const char *text) {
    size_t size = strlen(text) + 1;
    char *copy = malloc(size);
    if (copy != NULL) {
        memcpy(copy, text, size);
    }
    return copy;
}

const char *bench_static_string(size_t length) {
    static char short_text[17];
    static char long_text[1025];
    char *text = length <= 16 ? short_text : long_text;
    size_t capacity = length <= 16 ? 16 : 1024;
    if (length > capacity) {
        length = capacity;
    }
    if (text[0] == '\0' || strlen(text) != length) {
        memset(text, 'a', length);
        text[length] = '\0';
    }
    return text;
}

void bench_add_to_total(int value, void *context) {
    *(long *)context += value;
}

void bench_count_event(int event_type, const void *data, size_t length, void *context) {
    (void)event_type;
    (void)data;
    *(long *)context += (long)length;
}

struct bench_db {
    sqlite3 *handle;
    sqlite3_stmt *get;
    sqlite3_stmt *set;
};

bench_db *bench_db_open(const char *path) {
    bench_db *db = calloc(1, sizeof *db);
    if (db == NULL) {
        return NULL;
    }
    if (sqlite3_open_v2(path, &db->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(db->handle,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     /* KeyValueStore's table: TEXT keys, and a text value is stored as TEXT. */
                     "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY NOT NULL "
                     "CHECK (typeof(key) = 'text'), value BLOB NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db->handle, "SELECT value FROM kv WHERE key = ?1", -1, SQLITE_PREPARE_PERSISTENT,
                           &db->get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db->handle,
                           "INSERT INTO kv (key, value) VALUES (?1, ?2) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           -1, SQLITE_PREPARE_PERSISTENT, &db->set, NULL) != SQLITE_OK) {
        bench_db_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db->handle, 5000);
    return db;
}

int bench_db_set(bench_db *db, const char *key, const char *value) {
    sqlite3_bind_text64(db->set, 1, key, strlen(key), SQLITE_TRANSIENT, SQLITE_UTF8);
    sqlite3_bind_text64(db->set, 2, value, strlen(value), SQLITE_TRANSIENT, SQLITE_UTF8);
    int status = sqlite3_step(db->set);
    sqlite3_reset(db->set);
    sqlite3_clear_bindings(db->set);
    return status == SQLITE_DONE ? 0 : status;
}

char *bench_db_get(bench_db *db, const char *key) {
    sqlite3_bind_text64(db->get, 1, key, strlen(key), SQLITE_TRANSIENT, SQLITE_UTF8);
    char *copy = NULL;
    if (sqlite3_step(db->get) == SQLITE_ROW) {
        int length = sqlite3_column_bytes(db->get, 0);
        copy = malloc((size_t)length + 1);
        if (copy != NULL) {
            memcpy(copy, sqlite3_column_blob(db->get, 0), (size_t)length);
            copy[length] = '\0';
        }
    }
    sqlite3_reset(db->get);
    sqlite3_clear_bindings(db->get);
    return copy;
}

void bench_db_close(bench_db *db) {
    if (db == NULL) {
        return;
    }
    sqlite3_finalize(db->get);
    sqlite3_finalize(db->set);
    sqlite3_close_v2(db->handle);
    free(db);
}
