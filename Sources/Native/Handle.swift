// Tutorial Example 5: an opaque C handle with exactly one owner.

import CNative
import SafeFFI

/// A libnative handle built from a configuration, destroyed exactly once when its owner
/// ends. Being `~Copyable`, it cannot be destroyed twice or used after destruction.
///
/// `Sendable`: libnative never changes a handle after `create_handle`, `use_handle` only
/// reads it (from any thread), and `destroy_handle` runs only in `deinit`, when no other
/// reference exists. The stored destructor captures nothing.
@safe
public struct NativeHandle: ~Copyable, @unchecked Sendable {
    private let owner: ForeignHandle<OpaquePointer>

    /// The largest configuration the library accepts, in bytes.
    public static let maximumConfigurationSize = Int(NATIVE_HANDLE_MAX_CONFIG)

    /// Creates a handle holding a copy of `configuration` (1 to 4096 bytes).
    /// The corresponding C function is `create_handle`.
    ///
    /// - Throws: ``NativeError/library(function:code:message:)`` with
    ///   ``NativeErrorCode/invalidInput`` for an empty or oversized configuration,
    ///   ``NativeErrorCode/outOfMemory`` when C cannot allocate.
    public init(configuration: [UInt8]) throws(NativeError) {
        // SAFETY: create_handle takes the bytes as a Span (native.h: counted_by, noescape) and
        // copies them; it returns NULL or a handle the caller destroys with destroy_handle. The
        // call stays `unsafe` for its return type, an OpaquePointer.
        let raw = unsafe create_handle(configuration.span)
        guard let owner = unsafe ForeignHandle(adopting: raw, destroy: { unsafe destroy_handle($0) }) else {
            throw lastError(of: "create_handle")
        }
        // SAFETY: moves the owner in; the raw handle stays private to ForeignHandle.
        unsafe self.owner = owner
    }

    /// The handle's result: its configuration's hash folded to 31 bits.
    /// The corresponding C function is `use_handle`.
    public func use() -> Int32 {
        // SAFETY: the handle is alive for the whole borrow of `self`.
        unsafe owner.withUnsafeHandle { unsafe use_handle($0) }
    }
}
