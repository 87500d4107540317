// The tutorial's db_* C API with arbitrary arguments — NULLs, invalid UTF-8, NULs cutting
// strings short — called as a C program would: nothing may crash, and every status must
// be one the header documents.

import CNativeDB
import NativeDB

/// Safe to use: the handle is db_open's, private, used only while the object lives and
/// closed once, in `deinit`.
@safe
public final class DBCAPIProperty: FuzzProperty {
    public static let targetName = "FuzzDBCAPI"

    /// The C API's own opaque handle to one in-memory database, for every input.
    private let handle: UnsafeMutableRawPointer

    public init() throws(PropertyViolation) {
        // SAFETY: a NUL-terminated literal; the handle is closed once, in deinit.
        guard let handle = unsafe dbOpen(":memory:") else {
            throw PropertyViolation("db_open(\":memory:\") failed with status \(db_last_status())")
        }
        unsafe self.handle = handle
    }

    deinit {
        // SAFETY: the handle db_open returned, closed only here.
        unsafe dbClose(handle)
    }

    /// The input: an operation byte, a byte of flags (a NULL handle, key, value), then a
    /// key and a value split at the first 0xFE, each made a C string.
    public func check(_ input: [UInt8]) throws(PropertyViolation) {
        guard input.count >= 2 else { return }
        let rest = input.dropFirst(2)
        let split = rest.firstIndex(of: 0xFE) ?? rest.endIndex
        let key = Array(rest[..<split]) + [0]
        let value = Array(rest[min(split + 1, rest.endIndex)...]) + [0]
        let flags = input[1]
        // SAFETY: the handle is open (the class's invariant), or NULL on purpose, which the
        // C API documents. Both arrays end with a NUL (maybe not their only one: C stops at
        // the first) and outlive the calls made with their pointers, inside the closures.
        let target = flags & 1 != 0 ? nil : unsafe handle
        try unsafe key.withUnsafeBufferPointer { keyBuffer throws(PropertyViolation) in
            try unsafe value.withUnsafeBufferPointer { valueBuffer throws(PropertyViolation) in
                let keyPointer = flags & 2 != 0 ? nil : unsafe keyBuffer.baseAddress.map { unsafe cString($0) }
                let valuePointer = flags & 4 != 0 ? nil : unsafe valueBuffer.baseAddress.map { unsafe cString($0) }
                switch input[0] % 3 {
                case 0:
                    let status = unsafe dbSet(target, keyPointer, valuePointer)
                    try require([0, -2].contains(status), "db_set returned \(status)")
                case 1:
                    // SAFETY: db_get's result is only tested for NULL, then freed once, here.
                    let result = unsafe dbGet(target, keyPointer)
                    let status = db_last_status()
                    defer { unsafe dbFreeValue(result) }
                    // A value comes back exactly when the status is DB_OK; otherwise the status
                    // is a documented one.
                    try require(
                        (unsafe result != nil) == (status == 0),
                        "db_get returned \(unsafe result == nil ? "no value" : "a value") with status \(status)")
                    try require(
                        status == 0 || [-1, -2, -3].contains(status) || status > 0, "db_get set status \(status)")
                default:
                    let status = unsafe dbDelete(target, keyPointer)
                    try require([0, -1, -2].contains(status), "db_delete returned \(status)")
                }
            }
        }
    }
}

/// The bytes at `pointer` as C characters.
@unsafe
private func cString(_ pointer: UnsafePointer<UInt8>) -> UnsafePointer<CChar> {
    // SAFETY: UInt8 and CChar have the same size and alignment; C reads the bytes as char.
    unsafe UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
}
