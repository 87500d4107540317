// Tutorial Example 5: an opaque C handle with exactly one owner.

import SafeFFI

/// A libnative handle built from a configuration, destroyed exactly once when its owner
/// ends. Being `~Copyable`, it cannot be destroyed twice or used after destruction.
///
/// `Sendable`: libnative never changes a handle after `create_handle`, `use_handle` only
/// reads it (from any thread), and `destroy_handle` runs only in `deinit`, when no other
/// reference exists. The stored destructor captures nothing.
public struct NativeHandle: ~Copyable, @unchecked Sendable {
    private let owner: LibNative.Handle

    /// The largest configuration the library accepts, in bytes.
    public static let maximumConfigurationSize = LibNative.handleMaximumConfigurationSize

    /// Creates a handle holding a copy of `configuration` (1 to 4096 bytes).
    /// The corresponding C function is `create_handle`.
    ///
    /// - Throws: ``NativeError/library(function:code:message:)`` with
    ///   ``NativeErrorCode/invalidInput`` for an empty or oversized configuration,
    ///   ``NativeErrorCode/outOfMemory`` when C cannot allocate.
    public init(configuration: [UInt8]) throws(NativeError) {
        guard let owner = LibNative.create_handle(configuration.span) else {
            throw lastError(of: "create_handle")
        }
        self.owner = owner
    }

    /// The hash of the handle's configuration, folded to 31 bits, as libnative computes it
    /// from the handle. The corresponding C function is `use_handle`.
    public func configurationHash() -> Int32 {
        LibNative.use_handle(owner)
    }
}
