// The tutorial's db_* C API, served from Swift: each function is exported with @c under
// the tutorial's exact name and signature, over KeyValueStore.Database.
//
// Nothing thrown in Swift reaches C: every function catches, records a status with
// native_db_set_status, and returns a C value.

import CNativeDB
import Glibc
import KeyValueStore
import SafeFFI

/// Decodes a C string argument strictly; NULL or invalid UTF-8 is an invalid argument.
@unsafe
private func argument(_ pointer: UnsafePointer<CChar>?) -> String? {
    // SAFETY: the caller passes NULL or a NUL-terminated string, as the header requires.
    guard let text = try? unsafe String(strictCString: pointer) else { return nil }
    return text
}

/// The database behind a handle from db_open, or nil for NULL.
@unsafe
private func database(_ handle: UnsafeMutableRawPointer?) -> Database? {
    guard let handle = unsafe handle else { return nil }
    // SAFETY: a non-NULL handle came from db_open and has not been closed (the header's
    // contract); db_open retained the Database it points to.
    return unsafe Unmanaged<Database>.fromOpaque(handle).takeUnretainedValue()
}

private func status(of error: DatabaseError) -> CInt {
    error.code.rawValue
}

/// Opens a database. The tutorial's `void* db_open(const char* path)`.
@c(db_open)
public func dbOpen(_ path: UnsafePointer<CChar>?) -> UnsafeMutableRawPointer? {
    // SAFETY: see argument(_:).
    guard let path = unsafe argument(path) else {
        native_db_set_status(DB_INVALID_ARGUMENT)
        return nil
    }
    do {
        let database = try Database(path: path)
        native_db_set_status(DB_OK)
        // SAFETY: the handle owns one retain of the Database, released by db_close.
        return unsafe Unmanaged.passRetained(database).toOpaque()
    } catch {
        native_db_set_status(status(of: error))
        return nil
    }
}

/// Closes a handle. The tutorial's `void db_close(void*)`.
@c(db_close)
public func dbClose(_ handle: UnsafeMutableRawPointer?) {
    // SAFETY: the NULL test reads nothing; a non-NULL handle is db_open's (the C contract).
    guard let handle = unsafe handle else {
        native_db_set_status(DB_OK)
        return
    }
    // SAFETY: the handle came from db_open; its retain is released here, once.
    let database = unsafe Unmanaged<Database>.fromOpaque(handle).takeRetainedValue()
    do {
        try database.close()
        native_db_set_status(DB_OK)
    } catch {
        native_db_set_status(status(of: error))
    }
}

/// Gets a value as a C string the caller frees with db_free_value.
/// The tutorial's `char* db_get(void*, const char* key)`.
@c(db_get)
public func dbGet(_ handle: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    // SAFETY: see database(_:) and argument(_:).
    guard let database = unsafe database(handle), let key = unsafe argument(key) else {
        native_db_set_status(DB_INVALID_ARGUMENT)
        return nil
    }
    let bytes: [UInt8]?
    do {
        bytes = try database.bytes(forKey: key)
    } catch {
        native_db_set_status(status(of: error))
        return nil
    }
    guard let bytes else {
        native_db_set_status(DB_NOT_FOUND)
        return nil
    }
    // A value C would read short (a NUL inside) or that is not text is refused whole.
    guard !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil else {
        native_db_set_status(DB_NOT_TEXT)
        return nil
    }
    // SAFETY: a fresh malloc block of bytes.count + 1, bound to CChar before any access;
    // the caller frees it with db_free_value.
    guard let copy = unsafe malloc(bytes.count + 1)?.assumingMemoryBound(to: CChar.self) else {
        native_db_set_status(SQLiteResultCode.noMemory.rawValue)
        return nil
    }
    // SAFETY: `copy` has room for the bytes and the terminating NUL.
    for (index, byte) in bytes.enumerated() {
        unsafe copy[index] = CChar(bitPattern: byte)
    }
    unsafe copy[bytes.count] = 0
    native_db_set_status(DB_OK)
    return unsafe copy
}

/// Sets a value. The tutorial's `int db_set(void*, const char*, const char*)`.
@c(db_set)
public func dbSet(
    _ handle: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?, _ value: UnsafePointer<CChar>?
) -> CInt {
    // SAFETY: see database(_:) and argument(_:).
    guard let database = unsafe database(handle), let key = unsafe argument(key), let value = unsafe argument(value)
    else {
        native_db_set_status(DB_INVALID_ARGUMENT)
        return DB_INVALID_ARGUMENT
    }
    do {
        try database.set(key, value)
        native_db_set_status(DB_OK)
        return DB_OK
    } catch {
        native_db_set_status(status(of: error))
        return status(of: error)
    }
}

/// Deletes a key. The tutorial's `int db_delete(void*, const char*)`.
@c(db_delete)
public func dbDelete(_ handle: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?) -> CInt {
    // SAFETY: see database(_:) and argument(_:).
    guard let database = unsafe database(handle), let key = unsafe argument(key) else {
        native_db_set_status(DB_INVALID_ARGUMENT)
        return DB_INVALID_ARGUMENT
    }
    do {
        let result = try database.delete(key) ? DB_OK : DB_NOT_FOUND
        native_db_set_status(result)
        return result
    } catch {
        native_db_set_status(status(of: error))
        return status(of: error)
    }
}

/// Frees a value from db_get. The tutorial's `void db_free_value(char*)`.
@c(db_free_value)
public func dbFreeValue(_ value: UnsafeMutablePointer<CChar>?) {
    // SAFETY: the value came from db_get's malloc, or is NULL (ignored by free).
    unsafe free(value)
}
