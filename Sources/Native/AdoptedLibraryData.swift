// A block libnative allocates and Swift frees exactly once (tutorial Mistake #2).

import SafeFFI

/// A copy of the library data that libnative allocates, freed exactly once when this value
/// ends.
public struct AdoptedLibraryData: ~Copyable {
    private let storage: OwnedBuffer<UInt8>

    /// Allocates a fresh copy of the library data. The corresponding C function is
    /// `allocate_data`; the block is freed with `free_data` when this value ends.
    ///
    /// - Throws: ``NativeError/library(function:code:message:)`` with
    ///   ``NativeErrorCode/outOfMemory`` when C cannot allocate.
    public init() throws(NativeError) {
        guard let storage = LibNative.allocate_data() else {
            throw lastError(of: "allocate_data")
        }
        self.storage = storage
    }

    /// Calls `body` with a read-only view of the block, valid only during `body`.
    public func withSpan<R: ~Copyable, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
        try storage.withSpan(body)
    }

    /// A copy of the block's bytes.
    public var bytes: [UInt8] { storage.copyElements() }
}

@available(*, unavailable, message: "AdoptedLibraryData owns C memory; share a copy of `bytes` instead")
extension AdoptedLibraryData: Sendable {}
