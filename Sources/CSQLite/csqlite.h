/* SQLite's C API for Swift, from the system's libsqlite3 (Debian: libsqlite3-dev). */
#ifndef CSQLITE_H
#define CSQLITE_H

#include <sqlite3.h>

/* SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot
 * import. It tells SQLite to copy bound bytes before the bind call returns — what every
 * bind in KeyValueStore needs, since Swift's buffers are only lent for the call. This
 * shim can go when Swift imports the macro. */
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/* sqlite3_db_config is variadic, which Swift does not import. This sets one of its
 * options: whether closing the file's last connection checkpoints the write-ahead log and
 * removes "-wal" and "-shm". It can go when Swift imports C variadic functions. */
static inline int csqlite_set_checkpoint_on_close(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on ? 0 : 1, (int *)0);
}

#endif
