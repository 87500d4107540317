// Zero-copy: a buffer libnative owns, read and written in place by Swift and C.

import CNative
import SafeFFI

/// A libnative buffer shared with Swift without copying, destroyed exactly once.
///
/// Swift sees the bytes through spans that cannot outlive the call that lends them;
/// C changes them in place with ``process()``. Not `Sendable`: unsynchronised mutable
/// memory.
@safe
public struct SharedBuffer: ~Copyable {
    private let owner: ForeignHandle<UnsafeMutableRawPointer>
    /// The size in bytes.
    public let count: Int

    /// Creates a buffer of `size` zeroed bytes. The corresponding C function is
    /// `create_buffer`; it is destroyed with `destroy_buffer`.
    ///
    /// - Throws: ``NativeError/integerOutOfRange(_:)`` for a negative size;
    ///   ``NativeError/library(function:code:message:)`` with
    ///   ``NativeErrorCode/invalidInput`` for 0 or more than 1 GiB,
    ///   ``NativeErrorCode/outOfMemory`` when C cannot allocate.
    public init(size: Int) throws(NativeError) {
        let cSize = try NativeError.size(size)
        // SAFETY: create_buffer returns NULL or a handle destroyed with destroy_buffer.
        guard
            let owner = unsafe ForeignHandle(adopting: create_buffer(cSize), destroy: { unsafe destroy_buffer($0) })
        else {
            throw lastError(of: "create_buffer")
        }
        // SAFETY: the handle is alive; get_buffer_size only reads it.
        self.count = Int(unsafe owner.withUnsafeHandle { unsafe get_buffer_size($0) })
        // SAFETY: moves the owner in; the raw handle stays private to ForeignHandle.
        unsafe self.owner = owner
    }

    /// Calls `body` with a read-only view of the buffer's bytes, valid only during `body`.
    /// The corresponding C function is `get_buffer_data`.
    public func withSpan<R: ~Copyable, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
        let count = self.count
        // SAFETY: a non-NULL get_buffer_data result holds `count` bytes until
        // destroy_buffer, which cannot run during this borrow. A NULL one (which the
        // tutorial passes to from_raw_parts — undefined behaviour) becomes an empty view.
        return try unsafe owner.withUnsafeHandle { (handle) throws(E) -> R in
            guard let data = unsafe get_buffer_data(handle) else {
                return try body(Span())
            }
            return try unsafe body(Span(_unsafeStart: data, count: count))
        }
    }

    /// Calls `body` with a mutable view of the buffer's bytes, valid only during `body`.
    public mutating func withMutableSpan<R: ~Copyable, E: Error>(
        _ body: (inout MutableSpan<UInt8>) throws(E) -> R
    ) throws(E) -> R {
        let count = self.count
        // SAFETY: as in withSpan; `mutating` gives exclusive access for the call.
        return try unsafe owner.withUnsafeHandle { (handle) throws(E) -> R in
            guard let data = unsafe get_buffer_data(handle) else {
                var empty = MutableSpan<UInt8>()
                return try body(&empty)
            }
            var span = unsafe MutableSpan(_unsafeStart: data, count: count)
            return try body(&span)
        }
    }

    /// Adds 1 to each byte in place, in C. The corresponding C function is `process_buffer`.
    ///
    /// - Throws: ``NativeError/library(function:code:message:)`` if C refuses the buffer.
    public mutating func process() throws(NativeError) {
        // SAFETY: the handle is alive and exclusively ours during the call.
        let result = unsafe owner.withUnsafeHandle { unsafe process_buffer($0) }
        guard result == 0 else { throw lastError(of: "process_buffer") }
    }
}

@available(*, unavailable, message: "SharedBuffer is unsynchronised mutable memory")
extension SharedBuffer: Sendable {}
