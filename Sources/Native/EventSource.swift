// A C thread that fires events: C calling Swift from a thread Swift did not create.

import CNative
import SafeFFI

/// A libnative event source running on its own POSIX thread, stopped and freed exactly
/// once when this value ends.
///
/// Event n (from 0) carries `payloadSize` bytes, byte i being `(n + i) % 256`.
/// Not `Sendable`: ``wait()`` must not race with the owner's end.
@safe
public struct EventSource: ~Copyable {
    private let owner: ForeignHandle<OpaquePointer>

    /// The largest payload a source sends: 1 MiB.
    public static let maximumPayloadSize = Int(NATIVE_EVENT_SOURCE_MAX_PAYLOAD)

    /// Starts a thread that triggers `count` events of `eventType` (0: until stopped),
    /// `intervalMicroseconds` apart. The corresponding C function is
    /// `native_event_source_start`; the source is stopped with `native_event_source_stop`.
    ///
    /// - Throws: ``NativeError/integerOutOfRange(_:)`` for a negative payload size;
    ///   ``NativeError/library(function:code:message:)`` with code 1 for a negative count
    ///   or a payload above ``maximumPayloadSize``, 2 when out of memory, 5 when the thread
    ///   cannot start.
    public init(eventType: Int32, count: Int, intervalMicroseconds: UInt32 = 0, payloadSize: Int) throws(NativeError) {
        let size = try NativeError.size(payloadSize)
        // SAFETY: native_event_source_start returns NULL or a source freed with
        // native_event_source_stop, which only the owner below calls.
        let raw = unsafe native_event_source_start(eventType, count, intervalMicroseconds, size)
        guard let owner = unsafe ForeignHandle(adopting: raw, destroy: { unsafe native_event_source_stop($0) }) else {
            throw lastError(of: "native_event_source_start")
        }
        // SAFETY: moves the owner in; the raw handle stays private to ForeignHandle.
        unsafe self.owner = owner
    }

    /// Events triggered so far. The corresponding C function is `native_event_source_fired`.
    public var fired: Int {
        // SAFETY: the source is alive for the borrow; the count is read atomically.
        unsafe owner.withUnsafeHandle { unsafe native_event_source_fired($0) }
    }

    /// Blocks until a source with a count has fired all of its events.
    /// The corresponding C function is `native_event_source_wait`.
    public mutating func wait() {
        // SAFETY: the source is alive and exclusively ours during the call.
        unsafe owner.withUnsafeHandle { unsafe native_event_source_wait($0) }
    }
}

@available(*, unavailable, message: "EventSource.wait() must not race with its owner's end")
extension EventSource: Sendable {}
