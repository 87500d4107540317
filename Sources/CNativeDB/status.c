/* The thread-local status of the db_* API. The db_* functions themselves, and
 * db_status_string, are Swift (Sources/NativeDB), exported with @c. */
#include "native_db_internal.h"

static _Thread_local int last_status;

void native_db_set_status(int status) {
    last_status = status;
}

int db_last_status(void) {
    return last_status;
}
