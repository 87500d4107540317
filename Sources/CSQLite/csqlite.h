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

#endif
