// C events as an AsyncSequence: each stream its own registration with libnative.

import SafeFFI

extension EventSystem {
    /// Events from libnative as an `AsyncSequence`: every event, or those of `type`.
    ///
    /// The stream has its own registration, which ends — unregistering from libnative —
    /// when the consuming task is cancelled or the stream is dropped.
    ///
    /// - Parameters:
    ///   - type: the event type to deliver, or `nil` for every event.
    ///   - bufferingPolicy: what to keep when events arrive faster than they are read; C is
    ///     never blocked.
    /// - Throws: ``NativeError/library(function:code:message:)`` when libnative's handler
    ///   table is full.
    public static func events(
        ofType type: Int32? = nil,
        bufferingPolicy: AsyncStream<Event>.Continuation.BufferingPolicy
    ) throws(NativeError) -> AsyncStream<Event> {
        try CallbackStream.make(of: Event.self, bufferingPolicy: bufferingPolicy) {
            (sink) throws(NativeError) -> CallbackRegistration in
            try LibNative.native_register_event_handler_ex(EventStreamContext(sink: sink, type: type))
        }
    }
}

/// What a stream's registration receives: the sink and the type filter.
private final class EventStreamContext: EventReceiver {
    let sink: StreamSink<Event>
    let type: Int32?

    init(sink: StreamSink<Event>, type: Int32?) {
        self.sink = sink
        self.type = type
    }

    func receive(type: Int32, payload: Span<UInt8>) {
        guard self.type == nil || self.type == type else { return }
        sink.yield(Event(type: type, copying: payload))
    }
}
