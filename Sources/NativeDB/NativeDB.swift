// The tutorial's db_* C API, served from Swift: each function is exported with @c under
// the tutorial's exact name and signature, over KeyValueStore.Database.
//
// Nothing thrown in Swift reaches C: every function catches, records a status with
// native_db_set_status, and returns a C value. A handle is a number in the table of
// Handles.swift, looked up on every call, so a closed or forged one is refused, not followed.
//
// Only the C symbols are API: the Swift functions are SPI (`@_spi(CExports)`), kept public
// so that their symbols are exported from libnativedb.so and declared in the generated
// header, and out of the module's Swift interface and documentation.

import CNativeDB
import CSQLite
import Glibc
import KeyValueStore
import SafeFFI

/// Decodes a C string argument strictly; NULL or invalid UTF-8 is an invalid argument.
@unsafe
private func argument(_ pointer: UnsafePointer<CChar>?) -> String? {
    // SAFETY: the caller passes NULL or a NUL-terminated string, as the header requires.
    guard let pointer = unsafe pointer else { return nil }
    return try? unsafe String(strictCString: pointer)
}

/// The number a handle argument carries, or nil for NULL. Only the pointer's bits are
/// read: a handle is never dereferenced.
@unsafe
private func handleNumber(_ handle: UnsafeMutableRawPointer?) -> UInt? {
    // SAFETY: reads the pointer's bits, never the memory they might address.
    unsafe handle.map { UInt(bitPattern: $0) }
}

/// Why a call on an open database failed: an argument refused before the database saw it,
/// or the database's own error.
private enum CallFailure: Error {
    case refused(CInt)
    case database(DatabaseError)
}

/// Runs `body` on the open database that `handle` names (held for the call), records the
/// status it gives as this thread's last, and returns its result; on failure records why
/// and returns `failing(status)`: DB_INVALID_ARGUMENT for a NULL handle, DB_MISUSE for one
/// that is closed or was never issued, or what `body` threw.
@unsafe
private func onDatabase<Result>(
    _ handle: UnsafeMutableRawPointer?, failing: (CInt) -> Result,
    _ body: (Database) throws(CallFailure) -> (result: Result, status: CInt)
) -> Result {
    // SAFETY: handleNumber(_:) reads the handle's bits only.
    guard let number = unsafe handleNumber(handle) else { return failing(recorded(DB_INVALID_ARGUMENT)) }
    guard let database = Handles.database(number) else { return failing(recorded(DB_MISUSE)) }
    do {
        let (result, status) = try body(database)
        native_db_set_status(status)
        return result
    } catch {
        switch error {
        case .refused(let status): return failing(recorded(status))
        case .database(let error): return failing(recorded(status(of: error, handle: number)))
        }
    }
}

/// The status of a failed operation on the database of handle `number`. A database
/// closed under a call in progress reports SQLite's misuse; when the handle is closed, that
/// is the C API's DB_MISUSE (db_close removes the handle before closing the database).
private func status(of error: DatabaseError, handle number: UInt) -> CInt {
    if error.code == .misuse && !Handles.isOpen(number) {
        return DB_MISUSE
    }
    return error.code.rawValue
}

/// What db_set and db_delete return when they fail: the status.
private func statusAsResult(_ status: CInt) -> CInt { status }

/// What db_get returns when it fails: no value (db_last_status says why).
private func noValue(_: CInt) -> UnsafeMutablePointer<CChar>? { nil }

/// Records `status` as this thread's last and returns it.
private func recorded(_ status: CInt) -> CInt {
    native_db_set_status(status)
    return status
}

/// Opens a database. The C declaration is `void *db_open(const char *path)`.
@c(db_open)
@_spi(CExports) public func dbOpen(_ path: UnsafePointer<CChar>?) -> UnsafeMutableRawPointer? {
    // A path is the file system's bytes, UTF-8 or not (a Linux path is any bytes but NUL).
    // SAFETY: the caller passes NULL or a NUL-terminated string, as the header requires; its
    // bytes are copied before the call returns.
    guard let path = unsafe path else {
        native_db_set_status(DB_INVALID_ARGUMENT)
        return nil
    }
    let bytes = unsafe Array(UnsafeRawBufferPointer(start: path, count: strlen(path)))
    let database: Database
    do {
        database = try Database(pathBytes: bytes)
    } catch {
        native_db_set_status(error.code.rawValue)
        return nil
    }
    guard let number = Handles.issue(database) else {
        // Every handle number has been issued once (2^56 - 1 opens): never reuse one.
        try? database.close()
        native_db_set_status(SQLiteResultCode.full.rawValue)
        return nil
    }
    native_db_set_status(DB_OK)
    // SAFETY: a non-zero number made a pointer only to carry it through C, which passes it
    // back; it is never dereferenced.
    return unsafe UnsafeMutableRawPointer(bitPattern: number)
}

/// Closes a handle. The C declaration is `void db_close(void *handle)`.
///
/// The handle leaves the table first, so calls starting afterwards are refused; then
/// `Database.close()` waits for the calls holding a connection and closes each one.
@c(db_close)
@_spi(CExports) public func dbClose(_ handle: UnsafeMutableRawPointer?) {
    // SAFETY: handleNumber(_:) reads the handle's bits only.
    guard let number = unsafe handleNumber(handle) else {
        native_db_set_status(DB_OK)
        return
    }
    // Only one of several threads closing the same handle gets its database.
    guard let database = Handles.remove(number) else {
        native_db_set_status(DB_MISUSE)
        return
    }
    do {
        try database.close()
        native_db_set_status(DB_OK)
    } catch {
        native_db_set_status(error.code.rawValue)
    }
}

/// Gets a value as a C string the caller frees with db_free_value.
/// The C declaration is `char *db_get(void *handle, const char *key)`.
@c(db_get)
@_spi(CExports) public func dbGet(_ handle: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?)
    -> UnsafeMutablePointer<CChar>?
{
    // SAFETY: see onDatabase(_:failing:_:) and argument(_:); the copy returned is malloc'd,
    // and the caller frees it with db_free_value (free).
    unsafe onDatabase(handle, failing: noValue) { (database) throws(CallFailure) in
        guard let key = unsafe argument(key) else { throw .refused(DB_INVALID_ARGUMENT) }
        let bytes: [UInt8]?
        do throws(DatabaseError) {
            bytes = try database.bytes(forKey: key)
        } catch {
            throw .database(error)
        }
        guard let bytes else { throw .refused(DB_NOT_FOUND) }
        // A value that is not text, or that C would read short (a NUL inside), is refused whole.
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .refused(DB_NOT_TEXT) }
        let copy: UnsafeMutablePointer<CChar>?
        do throws(BoundaryError) {
            // SAFETY: a malloc'd copy, which the caller of db_get frees with db_free_value
            // (free); nothing else holds it.
            unsafe copy = try mallocCString(copying: bytes.span)
        } catch {
            throw .refused(DB_NOT_TEXT)
        }
        // SAFETY: only tests the fresh copy for NULL (malloc failed).
        guard let copy = unsafe copy else { throw .refused(SQLiteResultCode.noMemory.rawValue) }
        // SAFETY: ownership of the copy passes to the C caller.
        return unsafe (copy, DB_OK)
    }
}

/// Sets a value. The C declaration is `int db_set(void *handle, const char *key, const char *value)`.
@c(db_set)
@_spi(CExports) public func dbSet(
    _ handle: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?, _ value: UnsafePointer<CChar>?
) -> CInt {
    // SAFETY: see onDatabase(_:failing:_:) and argument(_:).
    unsafe onDatabase(handle, failing: statusAsResult) { (database) throws(CallFailure) in
        guard let key = unsafe argument(key), let value = unsafe argument(value) else {
            throw .refused(DB_INVALID_ARGUMENT)
        }
        do throws(DatabaseError) {
            try database.set(key, value)
        } catch {
            throw .database(error)
        }
        return (DB_OK, DB_OK)
    }
}

/// Deletes a key. The C declaration is `int db_delete(void *handle, const char *key)`.
@c(db_delete)
@_spi(CExports) public func dbDelete(_ handle: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?) -> CInt {
    // SAFETY: see onDatabase(_:failing:_:) and argument(_:).
    unsafe onDatabase(handle, failing: statusAsResult) { (database) throws(CallFailure) in
        guard let key = unsafe argument(key) else { throw .refused(DB_INVALID_ARGUMENT) }
        let found: Bool
        do throws(DatabaseError) {
            found = try database.delete(key)
        } catch {
            throw .database(error)
        }
        guard found else { throw .refused(DB_NOT_FOUND) }
        return (DB_OK, DB_OK)
    }
}

/// Frees a value from db_get. The C declaration is `void db_free_value(char *value)`.
@c(db_free_value)
@_spi(CExports) public func dbFreeValue(_ value: UnsafeMutablePointer<CChar>?) {
    // SAFETY: the value came from db_get's malloc, or is NULL (ignored by free).
    unsafe free(value)
}

/// Describes a status: the C API's own codes here, SQLite's with SQLite's own text. The C declaration is `const char *db_status_string(int status)`.
///
/// The header promises a static string, so each description is a C string that lives for
/// the whole program: a literal, or SQLite's own static text for its codes
/// (`sqlite3_errstr`, "unknown error" for a code it does not know). Nothing is allocated.
@c(db_status_string)
@_spi(CExports) public func dbStatusString(_ status: CInt) -> UnsafePointer<CChar>? {
    let text: StaticString
    switch status {
    case DB_OK: text = "ok"
    case DB_NOT_FOUND: text = "no such key"
    case DB_INVALID_ARGUMENT: text = "invalid argument: NULL, or not UTF-8"
    case DB_NOT_TEXT: text = "the value is not a C string (it holds a NUL byte or is not UTF-8)"
    case DB_MISUSE: text = "misuse: the handle is closed, or was never returned by db_open"
    case ...0: text = "unknown status"
    // SAFETY: sqlite3_errstr returns a static string for every code.
    default: return unsafe UnsafePointer(sqlite3_errstr(status))
    }
    // SAFETY: a literal lives for the whole program.
    return unsafe literalCString(text)
}

/// A string literal as a C string: its storage lives for the whole program.
@unsafe
private func literalCString(_ literal: StaticString) -> UnsafePointer<CChar> {
    // SAFETY: a StaticString literal is NUL-terminated UTF-8 in the binary's constant data.
    unsafe UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)
}
