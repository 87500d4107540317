/* The thread-local status of the db_* API, and its descriptions. The db_* functions
 * themselves are Swift (Sources/NativeDB), exported with @c. */
#include "native_db_internal.h"

#include <sqlite3.h>

static _Thread_local int last_status;

void native_db_set_status(int status) {
    last_status = status;
}

int db_last_status(void) {
    return last_status;
}

const char *db_status_string(int status) {
    switch (status) {
    case DB_OK:
        return "ok";
    case DB_NOT_FOUND:
        return "no such key";
    case DB_INVALID_ARGUMENT:
        return "invalid argument: NULL, or not UTF-8";
    case DB_NOT_TEXT:
        return "the value is not a C string (it holds a NUL byte or is not UTF-8)";
    case DB_MISUSE:
        return "misuse: the handle is closed, or was never returned by db_open";
    default:
        return status > 0 ? sqlite3_errstr(status) : "unknown status";
    }
}
