// Zero-copy: a buffer libnative owns, read and written in place by Swift and C.

import SafeFFI

/// A libnative buffer shared with Swift without copying, destroyed exactly once.
///
/// Swift sees the bytes through spans that cannot outlive the call that lends them;
/// C changes them in place with ``process()``. Not `Sendable`: unsynchronised mutable
/// memory.
public struct SharedBuffer: ~Copyable {
    private let owner: LibNative.Buffer
    /// The size in bytes.
    public let count: Int

    /// Creates a buffer of `size` zeroed bytes. The corresponding C function is
    /// `create_buffer`; it is destroyed with `destroy_buffer`.
    ///
    /// - Throws: ``NativeError/boundary(_:)`` for a negative size;
    ///   ``NativeError/library(function:code:message:)`` with
    ///   ``NativeErrorCode/invalidInput`` for 0 or more than 1 GiB,
    ///   ``NativeErrorCode/outOfMemory`` when C cannot allocate.
    public init(size: Int) throws(NativeError) {
        guard let owner = try LibNative.create_buffer(size: size) else {
            throw lastError(of: "create_buffer")
        }
        self.count = LibNative.get_buffer_size(owner)
        self.owner = owner
    }

    /// Calls `body` with a read-only view of the buffer's bytes, valid only during `body`.
    /// The corresponding C function is `get_buffer_data`.
    public func withSpan<R: ~Copyable, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
        try LibNative.get_buffer_data(owner, count: count, body)
    }

    /// Calls `body` with a mutable view of the buffer's bytes, valid only during `body`.
    public mutating func withMutableSpan<R: ~Copyable, E: Error>(
        _ body: (inout MutableSpan<UInt8>) throws(E) -> R
    ) throws(E) -> R {
        // `mutating` gives exclusive access for the call.
        try LibNative.get_buffer_data(mutating: owner, count: count, body)
    }

    /// Adds 1 to each byte in place, in C. The corresponding C function is `process_buffer`.
    ///
    /// - Throws: ``NativeError/library(function:code:message:)`` if C refuses the buffer.
    public mutating func process() throws(NativeError) {
        let result = LibNative.process_buffer(owner)
        guard result == 0 else { throw lastError(of: "process_buffer") }
    }
}

@available(*, unavailable, message: "SharedBuffer is unsynchronised mutable memory")
extension SharedBuffer: Sendable {}
