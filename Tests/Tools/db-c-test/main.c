/* Drives every db_* function of libnativedb from C, including NULL arguments, missing
 * keys, a delete of a missing key, close, and misuse: a handle used after db_close, closed
 * twice, never issued, or closed by one thread while others use it. Exits 0 when every
 * check passes; prints each failed check. Built by SwiftPM (run by KeyValueStoreTests)
 * and, against the tutorial's declarations only, by scripts/seed-compat.
 *
 * Usage: db-c-test DATABASE-PATH (the file is created, used, and left behind). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SEED_DECLARATIONS_ONLY
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

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

#ifndef SEED_DECLARATIONS_ONLY
/* Misuse of a handle: every call is refused with DB_MISUSE, and nothing reads freed
 * memory (run under AddressSanitizer by CI). */
static void check_misuse(const char *path) {
    void *db = db_open(path);
    CHECK(db != NULL);
    if (db == NULL) {
        return;
    }
    CHECK(db_set(db, "misuse", "before close") == DB_OK);
    db_close(db);
    CHECK(db_last_status() == DB_OK);

    /* A closed handle: refused, whatever the other arguments. */
    CHECK(db_get(db, "misuse") == NULL);
    CHECK(db_last_status() == DB_MISUSE);
    CHECK(db_set(db, "misuse", "after close") == DB_MISUSE);
    CHECK(db_last_status() == DB_MISUSE);
    CHECK(db_delete(db, "misuse") == DB_MISUSE);
    CHECK(db_last_status() == DB_MISUSE);
    CHECK(db_get(db, NULL) == NULL && db_last_status() == DB_MISUSE);
    /* Closed twice. */
    db_close(db);
    CHECK(db_last_status() == DB_MISUSE);
    db_close(db);
    CHECK(db_last_status() == DB_MISUSE);

    /* Handles are never reused: a stale handle cannot reach the database opened next. */
    void *again = db_open(path);
    CHECK(again != NULL && again != db);
    CHECK(db_set(db, "misuse", "stale") == DB_MISUSE);
    char *value = db_get(again, "misuse");
    CHECK(value != NULL && strcmp(value, "before close") == 0);
    db_free_value(value);
    CHECK(db_delete(again, "misuse") == DB_OK);
    db_close(again);
    CHECK(db_last_status() == DB_OK);

    /* Handles db_open never returned: a made-up number, a real address. */
    void *forged[] = {(void *)0x1234, (void *)&failures, (void *)path};
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        CHECK(db_get(forged[i], "k") == NULL && db_last_status() == DB_MISUSE);
        CHECK(db_set(forged[i], "k", "v") == DB_MISUSE && db_last_status() == DB_MISUSE);
        CHECK(db_delete(forged[i], "k") == DB_MISUSE && db_last_status() == DB_MISUSE);
        db_close(forged[i]);
        CHECK(db_last_status() == DB_MISUSE);
    }

    /* NULL stays an invalid argument; closing NULL is ignored. */
    CHECK(db_get(NULL, "k") == NULL && db_last_status() == DB_INVALID_ARGUMENT);
    db_close(NULL);
    CHECK(db_last_status() == DB_OK);

    CHECK(strcmp(db_status_string(DB_MISUSE), "misuse: the handle is closed, or was never returned by db_open") ==
          0);
    /* SQLite's codes are described by SQLite's text, the same pointer every time. */
    CHECK(strcmp(db_status_string(5), "database is locked") == 0);
    CHECK(db_status_string(5) == db_status_string(5));
    CHECK(strcmp(db_status_string(-99), "unknown status") == 0);
}

/* Closing a handle while other threads use it. */
enum { CLOSE_ROUNDS = 20, USER_THREADS = 4, CALLS_BEFORE_CLOSE = 8, CALLS_AFTER_MISUSE = 3, MAX_CALLS = 1000000 };

struct user {
    void *db;
    int index;
    atomic_int calls;  /* calls made, read by the closing threads */
    int unexpected;    /* calls whose outcome was neither success nor DB_MISUSE */
    int misuses;       /* calls refused with DB_MISUSE */
    int successes;
};

/* Sets, reads back and deletes a key of its own until DB_MISUSE, then checks a few more
 * calls are refused too: each call either works fully or is refused, never half. */
static void *use_until_closed(void *argument) {
    struct user *user = argument;
    char key[32];
    snprintf(key, sizeof key, "user-%d", user->index);
    for (int call = 0; call < MAX_CALLS && user->misuses <= CALLS_AFTER_MISUSE; call++) {
        int status;
        switch (call % 3) {
        case 0:
            status = db_set(user->db, key, "value");
            user->unexpected += status != DB_OK && status != DB_MISUSE;
            break;
        case 1: {
            char *value = db_get(user->db, key);
            status = db_last_status();
            /* Its own key: present unless the call was refused. */
            user->unexpected += value == NULL ? status != DB_MISUSE : strcmp(value, "value") != 0 || status != DB_OK;
            db_free_value(value);
            break;
        }
        default:
            status = db_delete(user->db, key);
            user->unexpected += status != DB_OK && status != DB_MISUSE;
            break;
        }
        /* Once refused, always refused: a closed handle never works again. */
        if (status == DB_MISUSE) {
            user->misuses++;
        } else if (user->misuses > 0) {
            user->unexpected++;
        } else {
            user->successes++;
        }
        atomic_fetch_add(&user->calls, 1);
    }
    return NULL;
}

struct closer {
    void *db;
    struct user *users;
    int status; /* db_last_status() after its db_close */
};

/* Waits until every user has made a few calls, then closes. */
static void *close_when_busy(void *argument) {
    struct closer *closer = argument;
    for (int i = 0; i < USER_THREADS; i++) {
        while (atomic_load(&closer->users[i].calls) < CALLS_BEFORE_CLOSE) {
            sched_yield();
        }
    }
    db_close(closer->db);
    closer->status = db_last_status();
    return NULL;
}

/* Each round: USER_THREADS threads use one handle while two threads close it at once.
 * Exactly one close succeeds, the other is refused; every call either succeeds or is
 * refused with DB_MISUSE, and once refused stays refused. */
/* A path that is not UTF-8 is a legal Linux path: "<path>-caf\xE9/x.db", with é in Latin-1.
 * It opens and works, and its write queue's lock file goes with the last close. */
static void check_latin1_path(const char *path) {
    char directory[4096], file[4200], lock[4300];
    snprintf(directory, sizeof directory, "%s-caf\xE9", path);
    snprintf(file, sizeof file, "%s/x.db", directory);
    snprintf(lock, sizeof lock, "%s-wlock", file);
    CHECK(mkdir(directory, 0755) == 0);
    void *db = db_open(file);
    CHECK(db != NULL && db_last_status() == DB_OK);
    if (db == NULL) {
        return;
    }
    CHECK(access(lock, F_OK) == 0);
    CHECK(db_set(db, "name", "caf\xC3\xA9") == DB_OK);
    char *value = db_get(db, "name");
    CHECK(value != NULL && strcmp(value, "caf\xC3\xA9") == 0);
    db_free_value(value);
    db_close(db);
    CHECK(access(lock, F_OK) != 0);
    CHECK(unlink(file) == 0);
    CHECK(rmdir(directory) == 0);
}

static void check_close_under_use(const char *path) {
    for (int round = 0; round < CLOSE_ROUNDS; round++) {
        void *db = db_open(path);
        CHECK(db != NULL);
        if (db == NULL) {
            return;
        }
        struct user users[USER_THREADS];
        pthread_t user_threads[USER_THREADS];
        for (int i = 0; i < USER_THREADS; i++) {
            users[i] = (struct user){.db = db, .index = i};
            atomic_init(&users[i].calls, 0);
            CHECK(pthread_create(&user_threads[i], NULL, use_until_closed, &users[i]) == 0);
        }
        struct closer closers[2] = {{.db = db, .users = users}, {.db = db, .users = users}};
        pthread_t closer_threads[2];
        for (int i = 0; i < 2; i++) {
            CHECK(pthread_create(&closer_threads[i], NULL, close_when_busy, &closers[i]) == 0);
        }
        for (int i = 0; i < 2; i++) {
            CHECK(pthread_join(closer_threads[i], NULL) == 0);
        }
        for (int i = 0; i < USER_THREADS; i++) {
            CHECK(pthread_join(user_threads[i], NULL) == 0);
            CHECK(users[i].unexpected == 0);
            CHECK(users[i].successes >= CALLS_BEFORE_CLOSE);
            CHECK(users[i].misuses == CALLS_AFTER_MISUSE + 1);
        }
        CHECK((closers[0].status == DB_OK && closers[1].status == DB_MISUSE) ||
              (closers[0].status == DB_MISUSE && closers[1].status == DB_OK));
        CHECK(db_get(db, "user-0") == NULL && db_last_status() == DB_MISUSE);
    }
}
#endif

static int usage(FILE *stream) {
    fprintf(stream, "usage: db-c-test DATABASE-PATH\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        return usage(stderr);
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        return usage(stdout);
    }
    if (argv[1][0] == '-') {
        fprintf(stderr, "db-c-test: unknown option %s\n", argv[1]);
        return usage(stderr);
    }
    if (argv[1][0] == '\0') {
        fprintf(stderr, "db-c-test: the database path is empty\n");
        return usage(stderr);
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
#ifndef SEED_DECLARATIONS_ONLY
    check_misuse(argv[1]);
    check_latin1_path(argv[1]);
    check_close_under_use(argv[1]);
#endif

    printf("db-c-test: %s\n", failures == 0 ? "all checks passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
