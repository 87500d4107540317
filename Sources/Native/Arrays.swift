// Tutorial Example 7: Swift arrays lent to C, and a buffer C allocates for Swift.

import SafeFFI

/// The sum of `values`, added in order by libnative. The corresponding C function is
/// `sum_array`.
public func sumInOrder(_ values: Span<Float>) -> Float {
    LibNative.sum_array(values)
}

/// The sum of `values`, added in order by libnative.
public func sumInOrder(_ values: [Float]) -> Float {
    sumInOrder(values.span)
}

/// Adds 1 to each value in place, wrapping `Int32.max` to `Int32.min`.
/// The corresponding C function is `modify_array`.
public func incrementWrapping(_ values: inout MutableSpan<CInt>) {
    LibNative.modify_array(&values)
}

/// Adds 1 to each value in place, wrapping. The corresponding C function is `modify_array`.
public func incrementWrapping(_ values: inout [CInt]) {
    var span = values.mutableSpan
    incrementWrapping(&span)
}

/// A zero-filled byte buffer that libnative allocates and hands over: Swift adopts it, owns
/// it alone and frees it exactly once (unlike ``SharedBuffer``, which C keeps and changes).
///
/// Not `Sendable`: it is mutable memory with no lock.
public struct AdoptedBuffer: ~Copyable {
    private var storage: OwnedBuffer<UInt8>

    /// The largest size the library accepts: 1 GiB.
    public static let maximumSize = LibNative.bufferMaximumSize

    /// Allocates `size` zeroed bytes. The corresponding C function is `allocate_buffer`;
    /// the memory is freed with `free_buffer`.
    ///
    /// - Throws: ``NativeError/boundary(_:)`` for a negative size;
    ///   ``NativeError/library(function:code:message:)`` with
    ///   ``NativeErrorCode/invalidInput`` for 0 or more than ``maximumSize``,
    ///   ``NativeErrorCode/outOfMemory`` when C cannot allocate.
    public init(size: Int) throws(NativeError) {
        guard let storage = try LibNative.allocate_buffer(size: size) else {
            throw lastError(of: "allocate_buffer")
        }
        self.storage = storage
    }

    /// The size in bytes.
    public var count: Int { storage.count }

    /// Sets every byte to `pattern`. The corresponding C function is `fill_buffer`.
    public mutating func fill(_ pattern: UInt8) {
        storage.withMutableSpan { LibNative.fill_buffer(&$0, with: pattern) }
    }

    /// Calls `body` with a read-only view of the bytes, valid only during `body`.
    public func withSpan<R: ~Copyable, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
        try storage.withSpan(body)
    }

    /// Calls `body` with a mutable view of the bytes, valid only during `body`.
    public mutating func withMutableSpan<R: ~Copyable, E: Error>(
        _ body: (inout MutableSpan<UInt8>) throws(E) -> R
    ) throws(E) -> R {
        try storage.withMutableSpan(body)
    }
}

@available(*, unavailable, message: "AdoptedBuffer is unsynchronised mutable C memory")
extension AdoptedBuffer: Sendable {}
