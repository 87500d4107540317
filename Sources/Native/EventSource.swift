// A C thread that fires events: C calling Swift from a thread Swift did not create.

import SafeFFI

/// A libnative event source running on its own POSIX thread, stopped and freed exactly
/// once when this value ends.
///
/// Event n (from 0) carries `payloadSize` bytes, byte i being `(n + i) % 256`.
/// Not `Sendable`: ``wait()`` must not race with the owner's end.
public struct EventSource: ~Copyable {
    private let owner: LibNative.EventSourceHandle

    /// The largest payload a source sends: 1 MiB.
    public static let maximumPayloadSize = LibNative.eventSourceMaximumPayload

    /// Starts a thread that triggers `count` events of `eventType` (0: until stopped),
    /// `intervalMicroseconds` apart. The corresponding C function is
    /// `native_event_source_start`; the source is stopped with `native_event_source_stop`.
    ///
    /// - Throws: ``NativeError/boundary(_:)`` for a negative payload size;
    ///   ``NativeError/library(function:code:message:)`` with code 1 for a negative count
    ///   or a payload above ``maximumPayloadSize``, 2 when out of memory, 5 when the thread
    ///   cannot start.
    public init(eventType: Int32, count: Int, intervalMicroseconds: UInt32 = 0, payloadSize: Int) throws(NativeError) {
        guard
            let owner = try LibNative.native_event_source_start(
                type: eventType, count: count, intervalMicroseconds: intervalMicroseconds, payloadSize: payloadSize)
        else {
            throw lastError(of: "native_event_source_start")
        }
        self.owner = owner
    }

    /// Events triggered so far. The corresponding C function is `native_event_source_fired`.
    public var fired: Int {
        LibNative.native_event_source_fired(owner)
    }

    /// Blocks until a source with a count has fired all of its events.
    /// The corresponding C function is `native_event_source_wait`.
    public mutating func wait() {
        LibNative.native_event_source_wait(owner)
    }
}

@available(*, unavailable, message: "EventSource.wait() must not race with its owner's end")
extension EventSource: Sendable {}
