// A string C keeps without copying (tutorial Mistake #4): Swift owns the memory C holds.

import SafeFFI

/// The memory Swift lends to `store_string`: a malloc'd copy, freed only after C has
/// been told to forget it. Reached only through `keptString`'s lock; `Sendable` because
/// the memory it points to is plain bytes that any thread may free once it holds the lock.
@safe
private struct KeptCString: @unchecked Sendable {
    var storage: UnsafeMutablePointer<CChar>?
}

/// Serialises `store_string` with the replacement and release of the memory it keeps.
// SAFETY: starts empty; nothing is kept yet.
private let keptString = unsafe Serialized(KeptCString(storage: nil))

/// The string libnative keeps without copying.
///
/// `store_string` keeps the caller's pointer, so a temporary C string would dangle the
/// moment the call returned. Here Swift copies the bytes into memory it owns, hands C
/// that copy, and frees it only after C has let go — when the next string replaces it or
/// ``clear()`` runs.
public enum KeptString {
    /// Gives libnative a string to keep. The corresponding C function is `store_string`.
    ///
    /// - Throws: ``NativeError/boundary(_:)`` for a string holding a NUL byte.
    public static func store(_ string: String) throws(NativeError) {
        try store(bytes: Array(string.utf8))
    }

    /// Gives libnative arbitrary bytes to keep, which need not be UTF-8.
    ///
    /// - Throws: ``NativeError/boundary(_:)`` for bytes holding a NUL;
    ///   ``NativeError/library(function:code:message:)`` with
    ///   ``NativeErrorCode/outOfMemory`` when the copy cannot be allocated.
    public static func store(bytes: [UInt8]) throws(NativeError) {
        let copy: UnsafeMutablePointer<CChar>?
        do throws(BoundaryError) {
            // SAFETY: ownership of the malloc'd copy passes to the kept slot below.
            unsafe copy = try mallocCString(copying: bytes.span)
        } catch {
            throw .boundary(error)
        }
        guard let copy = unsafe copy else {
            throw .library(
                function: "store_string", code: .outOfMemory, message: "no memory to copy \(bytes.count) bytes")
        }
        // SAFETY: the kept slot frees `copy` once C lets go.
        unsafe replace(with: copy)
    }

    /// Tells libnative to forget its string, then frees the memory it kept.
    public static func clear() {
        // SAFETY: no new memory; the old memory is freed after C forgets it.
        unsafe replace(with: nil)
    }

    /// The string libnative keeps, decoded strictly, or `nil` when it keeps none.
    /// The corresponding C function is `stored_string`.
    ///
    /// - Throws: ``NativeError/boundary(_:)`` when the kept bytes are not UTF-8.
    public static func current() throws(NativeError) -> String? {
        try keptString.withLock { _ throws(NativeError) -> String? in
            // SAFETY: under the lock, the kept pointer is NULL or memory this type owns (or
            // whatever C code stored), NUL-terminated and alive until replaced.
            try unsafe LibNative.stored_string()
        }
    }

    private static func replace(with newStorage: UnsafeMutablePointer<CChar>?) {
        keptString.withLock { kept in
            // SAFETY: C switches to the new string before the old one is freed, so C never
            // holds freed memory; both happen under the lock.
            unsafe LibNative.store_string(with: newStorage, freeing: kept.storage)
            unsafe kept.storage = newStorage
        }
    }
}
