// Events from libnative: the value a handler receives, sending one, and what C's event
// callback reaches.

/// An event from libnative: its type and a copy of exactly the bytes it carried.
public struct Event: Sendable, Equatable, Hashable {
    /// The event type.
    public let type: Int32
    /// The payload, exactly as long as C said — never a fixed 64 bytes.
    public let payload: [UInt8]

    /// Creates an event, as a handler test or a Swift-side producer would.
    public init(type: Int32, payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }

    /// Copies an event delivered by C. A NULL `data` is an empty payload.
    @unsafe
    init(type: Int32, data: UnsafeRawPointer?, length: Int) {
        // SAFETY: C lends `length` bytes at `data` for the duration of the callback; they are
        // copied here, and NULL (or no bytes) is an empty payload.
        guard let data = unsafe data, length > 0 else {
            self.init(type: type, payload: [])
            return
        }
        self.init(type: type, payload: unsafe Array(UnsafeRawBufferPointer(start: data, count: length)))
    }
}

/// Sends an event to every registered handler, on the calling thread, before returning.
/// The corresponding C function is `native_trigger_event_ex`.
public func triggerEvent(type: Int32, payload: [UInt8]) {
    LibNative.triggerEvent(type: type, payload: RawSpan(_elements: payload.span))
}

/// The number of handlers registered with libnative right now.
/// The corresponding C function is `native_event_handler_count`.
package var registeredEventHandlerCount: Int {
    LibNative.eventHandlerCount()
}

/// What libnative's event callback reaches through `user_data`: an object that takes each
/// event on the thread that triggered it. `Sendable`: C calls it from any thread.
protocol EventReceiver: AnyObject, Sendable {
    /// Whether events of `type` are wanted; the payload is copied only for those.
    func accepts(_ type: Int32) -> Bool
    func receive(_ event: Event)
}

extension EventReceiver {
    func accepts(_ type: Int32) -> Bool { true }
}
