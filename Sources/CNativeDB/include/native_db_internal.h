/*
 * native_db_internal.h — for libnativedb itself, not for its callers: the Swift half of
 * the db_* API records its status through this C function. It is hidden, so the library
 * never exports it (callers read the status with db_last_status); a C caller includes
 * native_db.h only.
 */
#ifndef NATIVE_DB_INTERNAL_H
#define NATIVE_DB_INTERNAL_H

#include "native_db.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Records this thread's last status (called by the Swift implementation). */
__attribute__((visibility("hidden"))) void native_db_set_status(int status);

#ifdef __cplusplus
}
#endif

#endif /* NATIVE_DB_INTERNAL_H */
