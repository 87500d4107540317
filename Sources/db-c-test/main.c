/* Drives every db_* function of libnativedb from C, including NULL arguments, missing
 * keys, a delete of a missing key and close. Exits 0 when every check passes; prints each
 * failed check. Built by SwiftPM (run by KeyValueStoreTests) and, against the tutorial's
 * declarations only, by scripts/seed-compat. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SEED_DECLARATIONS_ONLY
/* Exactly the tutorial's declarations. */
void *db_open(const char *path);
void db_close(void *handle);
char *db_get(void *handle, const char *key);
int db_set(void *handle, const char *key, const char *value);
int db_delete(void *handle, const char *key);
void db_free_value(char *value);
#define DB_OK 0
#define DB_NOT_FOUND (-1)
#define DB_INVALID_ARGUMENT (-2)
#else
#include "native_db.h"
#endif

static int failures;

#define CHECK(condition)                                                   \
    do {                                                                   \
        if (!(condition)) {                                                \
            printf("FAILED line %d: %s\n", __LINE__, #condition);          \
            failures++;                                                    \
        }                                                                  \
    } while (0)

int main(int argc, char **argv) {
    if (argc != 2) {
        printf("usage: db-c-test DATABASE-PATH\n");
        return 2;
    }
    CHECK(db_open(NULL) == NULL);
    void *db = db_open(argv[1]);
    CHECK(db != NULL);
    if (db == NULL) {
        return 1;
    }

    CHECK(db_set(db, "name", "Alice") == DB_OK);
    char *value = db_get(db, "name");
    CHECK(value != NULL && strcmp(value, "Alice") == 0);
    db_free_value(value);
    CHECK(db_set(db, "name", "Bob") == DB_OK);
    value = db_get(db, "name");
    CHECK(value != NULL && strcmp(value, "Bob") == 0);
    db_free_value(value);

    CHECK(db_get(db, "missing") == NULL);
    CHECK(db_delete(db, "missing") == DB_NOT_FOUND);
    CHECK(db_delete(db, "name") == DB_OK);
    CHECK(db_get(db, "name") == NULL);

    CHECK(db_set(NULL, "k", "v") == DB_INVALID_ARGUMENT);
    CHECK(db_set(db, NULL, "v") == DB_INVALID_ARGUMENT);
    CHECK(db_set(db, "k", NULL) == DB_INVALID_ARGUMENT);
    CHECK(db_set(db, "bad\xFF", "v") == DB_INVALID_ARGUMENT);
    CHECK(db_get(NULL, "k") == NULL);
    CHECK(db_get(db, NULL) == NULL);
    CHECK(db_delete(NULL, "k") == DB_INVALID_ARGUMENT);
    CHECK(db_delete(db, NULL) == DB_INVALID_ARGUMENT);
#ifndef SEED_DECLARATIONS_ONLY
    CHECK(db_last_status() == DB_INVALID_ARGUMENT);
    CHECK(db_get(db, "missing") == NULL && db_last_status() == DB_NOT_FOUND);
    CHECK(strcmp(db_status_string(DB_NOT_FOUND), "no such key") == 0);
    CHECK(strcmp(db_status_string(14), "unable to open database file") == 0);
    CHECK(db_open("/nonexistent-directory/x.db") == NULL && db_last_status() == 14);
#endif
    db_free_value(NULL);

    CHECK(db_set(db, "kept", "across close") == DB_OK);
    db_close(db);
    db_close(NULL);
    db = db_open(argv[1]);
    CHECK(db != NULL);
    value = db_get(db, "kept");
    CHECK(value != NULL && strcmp(value, "across close") == 0);
    db_free_value(value);
    db_close(db);

    printf("db-c-test: %s\n", failures == 0 ? "all checks passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
