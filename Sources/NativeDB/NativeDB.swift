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

/// The open database a handle's number names, held for the call, and the number.
///
/// - Throws: DB_INVALID_ARGUMENT for NULL, DB_MISUSE for a handle that is closed or was
///   never issued.
private func lookUp(_ number: UInt?) throws(Refusal) -> (Database, UInt) {
    guard let number else { throw Refusal(status: DB_INVALID_ARGUMENT) }
    guard let database = Handles.database(number) else { throw Refusal(status: DB_MISUSE) }
    return (database, number)
}

/// A handle refused before the call reaches the database.
private struct Refusal: Error {
    let status: CInt
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
    let (database, number): (Database, UInt)
    do throws(Refusal) {
        // SAFETY: handleNumber(_:) reads the handle's bits only.
        (database, number) = try lookUp(unsafe handleNumber(handle))
    } catch {
        native_db_set_status(error.status)
        return nil
    }
    // SAFETY: see argument(_:).
    guard let key = unsafe argument(key) else {
        native_db_set_status(DB_INVALID_ARGUMENT)
        return nil
    }
    let bytes: [UInt8]?
    do {
        bytes = try database.bytes(forKey: key)
    } catch {
        native_db_set_status(status(of: error, handle: number))
        return nil
    }
    guard let bytes else {
        native_db_set_status(DB_NOT_FOUND)
        return nil
    }
    // A value that is not text, or that C would read short (a NUL inside), is refused whole.
    guard String(validating: bytes, as: UTF8.self) != nil else {
        native_db_set_status(DB_NOT_TEXT)
        return nil
    }
    let copy: UnsafeMutablePointer<CChar>?
    do throws(BoundaryError) {
        // SAFETY: a malloc'd copy, which the caller frees with db_free_value (free).
        unsafe copy = try mallocCString(copying: bytes.span)
    } catch {
        native_db_set_status(DB_NOT_TEXT)
        return nil
    }
    guard let copy = unsafe copy else {
        native_db_set_status(SQLiteResultCode.noMemory.rawValue)
        return nil
    }
    native_db_set_status(DB_OK)
    return unsafe copy
}

/// Sets a value. The C declaration is `int db_set(void *handle, const char *key, const char *value)`.
@c(db_set)
@_spi(CExports) public func dbSet(
    _ handle: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?, _ value: UnsafePointer<CChar>?
) -> CInt {
    let (database, number): (Database, UInt)
    do throws(Refusal) {
        // SAFETY: handleNumber(_:) reads the handle's bits only.
        (database, number) = try lookUp(unsafe handleNumber(handle))
    } catch {
        return recorded(error.status)
    }
    // SAFETY: see argument(_:).
    guard let key = unsafe argument(key), let value = unsafe argument(value) else {
        return recorded(DB_INVALID_ARGUMENT)
    }
    do {
        try database.set(key, value)
        return recorded(DB_OK)
    } catch {
        return recorded(status(of: error, handle: number))
    }
}

/// Deletes a key. The C declaration is `int db_delete(void *handle, const char *key)`.
@c(db_delete)
@_spi(CExports) public func dbDelete(_ handle: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?) -> CInt {
    let (database, number): (Database, UInt)
    do throws(Refusal) {
        // SAFETY: handleNumber(_:) reads the handle's bits only.
        (database, number) = try lookUp(unsafe handleNumber(handle))
    } catch {
        return recorded(error.status)
    }
    // SAFETY: see argument(_:).
    guard let key = unsafe argument(key) else {
        return recorded(DB_INVALID_ARGUMENT)
    }
    do {
        return recorded(try database.delete(key) ? DB_OK : DB_NOT_FOUND)
    } catch {
        return recorded(status(of: error, handle: number))
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
