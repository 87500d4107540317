// Tutorial Example 2: strings both ways — a static string, a copied name, and a message
// the caller must free.

import SafeFFI

/// Serialises every use of libnative's name slot. `get_name` returns a pointer that the
/// next `set_name` frees, so a read and a concurrent write must never overlap.
private let nameSlot = Serialized(())

/// Library-wide settings and messages of libnative.
public enum NativeLibrary {
    /// The library's version string. The corresponding C function is `get_version`.
    ///
    /// - Throws: ``NativeError/boundary(_:)`` if the library returned bytes that
    ///   are not UTF-8, ``NativeError/brokenContract(function:message:)`` if it returned NULL
    ///   (its header promises a static string, so either means a broken library).
    public static func version() throws(NativeError) -> String {
        guard let version = try LibNative.get_version() else {
            throw .brokenContract(function: "get_version", message: "returned NULL, not its version string")
        }
        return version
    }

    /// Sets the library's name: 1 to 63 bytes of UTF-8, copied by the library.
    /// The corresponding C function is `set_name`.
    ///
    /// - Throws: ``NativeError/boundary(_:)`` for a NUL byte;
    ///   ``NativeError/library(function:code:message:)`` with code
    ///   ``NativeErrorCode/invalidInput`` for an empty or too long name,
    ///   ``NativeErrorCode/outOfMemory`` when the copy cannot be allocated.
    public static func setName(_ name: String) throws(NativeError) {
        try nameSlot.withLock { _ throws(NativeError) in
            guard try LibNative.set_name(name) else { throw lastError(of: "set_name") }
        }
    }

    /// The library's current name, or `nil` when none is set.
    /// The corresponding C function is `get_name`.
    public static func name() throws(NativeError) -> String? {
        try nameSlot.withLock { _ throws(NativeError) -> String? in
            try LibNative.get_name()
        }
    }

    /// Forgets the library's name and frees its copy.
    public static func clearName() {
        nameSlot.withLock { _ in LibNative.native_clear_name() }
    }

    /// The message of this thread's last library error, or `nil` when the last call
    /// succeeded. The corresponding C function is `get_error_message`; the copy it
    /// allocates is freed with `free_string` on every path.
    ///
    /// - Throws: ``NativeError/library(function:code:message:)`` with
    ///   ``NativeErrorCode/outOfMemory`` when the library could not copy its message;
    ///   ``NativeError/boundary(_:)`` if the message is not UTF-8.
    public static func lastErrorMessage() throws(NativeError) -> String? {
        let code = LibNative.get_last_error()
        let message = try LibNative.get_error_message()
        if message == nil && code != 0 {
            throw .library(
                function: "get_error_message", code: .outOfMemory,
                message: "no memory to copy the message of error \(code)")
        }
        return message
    }
}
