// The tutorial's db_* C API with arbitrary arguments — NULLs, invalid UTF-8, NULs cutting
// strings short, closed and forged handles — called as a C program would: nothing may
// crash, and every status must be one the header documents.

import CNativeDB
@_spi(CExports) import NativeDB

/// Safe to use: the handle is db_open's, private, used only while the object lives and
/// closed once, in `deinit`; the closed handle is only ever passed back to the C API,
/// which refuses it without dereferencing it.
@safe
public final class DBCAPIProperty: FuzzProperty {
    public static let targetName = "FuzzDBCAPI"

    /// The C API's own opaque handle to one in-memory database, for every input.
    private let handle: UnsafeMutableRawPointer
    /// A handle db_open returned and db_close closed: every call with it must be refused.
    private let closedHandle: UnsafeMutableRawPointer

    public init() throws(PropertyViolation) {
        // SAFETY: NUL-terminated literals; `handle` is closed once, in deinit, and
        // `closedHandle` once, here.
        guard let handle = unsafe dbOpen(":memory:"), let closedHandle = unsafe dbOpen(":memory:") else {
            throw PropertyViolation("db_open(\":memory:\") failed with status \(db_last_status())")
        }
        unsafe dbClose(closedHandle)
        try require(db_last_status() == 0, "db_close failed with status \(db_last_status())")
        unsafe self.handle = handle
        unsafe self.closedHandle = closedHandle
    }

    deinit {
        // SAFETY: the handle db_open returned, closed only here.
        unsafe dbClose(handle)
    }

    /// The input: an operation byte (set, get, delete, close), a byte of flags (1: a NULL
    /// handle, 2: a NULL key, 4: a NULL value, 8: the closed handle, 16: a forged handle —
    /// the key's address), then a key and a value split at the first 0xFE, each made a C
    /// string. The open handle is never closed: close gets the closed or forged handle, or
    /// NULL.
    public func check(_ input: [UInt8]) throws(PropertyViolation) {
        guard input.count >= 2 else { return }
        let rest = input.dropFirst(2)
        let split = rest.firstIndex(of: 0xFE) ?? rest.endIndex
        let key = Array(rest[..<split]) + [0]
        let value = Array(rest[min(split + 1, rest.endIndex)...]) + [0]
        let flags = input[1]
        // SAFETY: the handle is open (the class's invariant), or NULL, closed or forged on
        // purpose: the C API documents all three and dereferences none. Both arrays end
        // with a NUL (maybe not their only one: C stops at the first) and outlive the calls
        // made with their pointers, inside the closures.
        try unsafe key.withUnsafeBufferPointer { keyBuffer throws(PropertyViolation) in
            try unsafe value.withUnsafeBufferPointer { valueBuffer throws(PropertyViolation) in
                let keyPointer = flags & 2 != 0 ? nil : unsafe keyBuffer.baseAddress.map { unsafe cString($0) }
                let valuePointer = flags & 4 != 0 ? nil : unsafe valueBuffer.baseAddress.map { unsafe cString($0) }
                let (target, refusal) = unsafe self.target(
                    flags, forged: UnsafeMutableRawPointer(mutating: keyBuffer.baseAddress))
                switch input[0] % 4 {
                case 0:
                    let status = unsafe dbSet(target, keyPointer, valuePointer)
                    try require(
                        refusal.map { status == $0 } ?? [0, -2].contains(status), "db_set returned \(status)")
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
                        refusal.map { status == $0 } ?? (status == 0 || [-1, -2, -3].contains(status) || status > 0),
                        "db_get set status \(status)")
                case 2:
                    let status = unsafe dbDelete(target, keyPointer)
                    try require(
                        refusal.map { status == $0 } ?? [0, -1, -2].contains(status), "db_delete returned \(status)")
                default:
                    // SAFETY: never the open handle (the closed one instead): NULL is
                    // ignored, a closed or forged handle refused without being dereferenced.
                    unsafe dbClose(refusal == nil ? closedHandle : target)
                    let status = db_last_status()
                    try require(status == (unsafe target == nil ? 0 : -4), "db_close set status \(status)")
                }
            }
        }
    }

    /// The handle the flags choose, and the status every call with it must get when it is
    /// not the open one: DB_INVALID_ARGUMENT (-2) for NULL, DB_MISUSE (-4) for the closed
    /// handle or `forged`, an address db_open never returned.
    @unsafe
    private func target(
        _ flags: UInt8, forged: UnsafeMutableRawPointer?
    ) -> (handle: UnsafeMutableRawPointer?, refusal: CInt?) {
        // SAFETY: only passes pointers on; the caller hands them to the C API alone.
        if flags & 1 != 0 { return (nil, -2) }
        if flags & 16 != 0 { return unsafe (forged, -4) }
        if flags & 8 != 0 { return unsafe (closedHandle, -4) }
        return unsafe (handle, nil)
    }
}

/// The bytes at `pointer` as C characters.
@unsafe
private func cString(_ pointer: UnsafePointer<UInt8>) -> UnsafePointer<CChar> {
    // SAFETY: UInt8 and CChar have the same size and alignment; C reads the bytes as char.
    unsafe UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
}
