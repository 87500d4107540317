/*
 * native_db — the tutorial's key-value database API, served by Swift (KeyValueStore over
 * SQLite) from libnativedb.so. The six db_* functions keep the tutorial's exact signatures;
 * db_last_status and db_status_string are additions.
 *
 * Ownership:
 *   db_open returns a handle the caller closes with db_close (exactly once).
 *   db_get returns a string the caller frees with db_free_value.
 *   Every other pointer is borrowed for the call only.
 *
 * Handles: a handle is an opaque token, never an address: the library never dereferences
 * it, and the caller must not either. The library looks each one up in its table of open
 * databases, so a handle that is closed, or that db_open never returned (a forged or
 * corrupted pointer), is refused with DB_MISUSE (as SQLite returns SQLITE_MISUSE) and
 * reaches no memory. A handle value is never returned twice in a process, so a stale
 * handle cannot reach a database opened later. NULL stays DB_INVALID_ARGUMENT.
 *
 * Status codes (returned by db_set and db_delete, and by db_last_status after any call):
 *   DB_OK (0)               success
 *   DB_NOT_FOUND (-1)       db_get / db_delete: no such key
 *   DB_INVALID_ARGUMENT (-2) a NULL handle, key, value or path, or a key or value that is
 *                           not UTF-8 (a path need not be)
 *   DB_NOT_TEXT (-3)        db_get: the stored value holds a NUL byte or is not UTF-8, so it
 *                           cannot be returned as a C string (it is never truncated)
 *   DB_MISUSE (-4)          a handle that is closed (db_close, on any thread) or that
 *                           db_open never returned; also a second db_close
 *   > 0                     SQLite's extended result code (e.g. 5 SQLITE_BUSY, 14
 *                           SQLITE_CANTOPEN, 26 SQLITE_NOTADB)
 *
 * Thread safety: a handle may be used from several threads at once. No Swift error or
 * trap crosses into C: every failure is a status.
 *
 * Closing while other threads use the handle is safe: no call crashes or reads freed
 * memory. db_close first invalidates the handle, so calls that start afterwards get
 * DB_MISUSE; a call already in progress either completes normally (db_close waits for it)
 * or gets DB_MISUSE, and none completes after db_close has returned. Of two threads closing
 * one handle, one closes it and the other gets DB_MISUSE. A refused call is still a bug to
 * fix in the caller: only the program knows when no thread needs a handle any more.
 *
 * Text: keys, values and paths are C strings, so each ends at its first NUL byte. A key
 * "nul\0tail" passed from a language whose strings may hold NUL (Python, Rust, Swift, Go)
 * reaches the library as "nul", and is stored as "nul": the library cannot see the rest.
 * A caller that may hold such text must refuse it before the call (as Swift's SafeFFI
 * does with BoundaryError.interiorNUL). For the same reason db_get refuses a stored value
 * that holds a NUL (DB_NOT_TEXT) instead of returning it cut short.
 *
 * Calling from Python (ctypes): declare db_get's result ctypes.c_void_p, not
 * ctypes.c_char_p. With c_char_p, ctypes copies the string into a bytes object and drops
 * the pointer, which then can never be passed to db_free_value: a leak on every call.
 * Read the value with ctypes.string_at(pointer), then call db_free_value(pointer).
 * Examples/python-nativedb has a complete client.
 *
 * Linking: libnativedb.so exports exactly the functions declared here.
 * scripts/package-nativedb builds it as it ships: with the Swift runtime linked in, so it
 * needs only system libraries (libsqlite3.so.0, libstdc++.so.6, libgcc_s.so.1, libm,
 * libc); `cc prog.c -I include -L lib -lnativedb` and run with lib/ on the library path.
 */
#ifndef NATIVE_DB_H
#define NATIVE_DB_H

#ifdef __cplusplus
extern "C" {
#endif

#define DB_OK 0
#define DB_NOT_FOUND (-1)
#define DB_INVALID_ARGUMENT (-2)
#define DB_NOT_TEXT (-3)
#define DB_MISUSE (-4)

/** Opens (creating if missing) the database at `path`. Returns a handle, or NULL; then
 *  db_last_status() says why. The path is the file system's bytes: any C string, UTF-8 or
 *  not (a directory named in Latin-1 works), as open(2) takes it; only NULL is
 *  DB_INVALID_ARGUMENT. */
void *db_open(const char *path);

/** Closes a handle from db_open, flushing nothing further (every write is already
 *  durable). NULL is ignored (status DB_OK). The handle is invalid once this is called,
 *  whatever the status: closing it again, or a handle db_open never returned, does
 *  nothing but set the status DB_MISUSE. Calls in progress on other threads finish first
 *  (see "Thread safety" above). */
void db_close(void *handle);

/** Caller frees with db_free_value: the value of `key`, or NULL when it is missing
 *  (status DB_NOT_FOUND) or on failure (see db_last_status). */
char *db_get(void *handle, const char *key);

/** Sets `key` to `value`, durably. Returns DB_OK or a status. */
int db_set(void *handle, const char *key, const char *value);

/** Deletes `key`. Returns DB_OK, DB_NOT_FOUND, or another status. */
int db_delete(void *handle, const char *key);

/** Frees a value returned by db_get. NULL is ignored. */
void db_free_value(char *value);

/** The status of this thread's last db_* call. */
int db_last_status(void);

/** Static: a description of a status code. */
const char *db_status_string(int status);

#ifdef __cplusplus
}
#endif

#endif /* NATIVE_DB_H */
