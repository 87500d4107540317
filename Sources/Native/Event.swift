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

    /// Creates an event with a copy of `payload`: what a handler that receives a borrowed
    /// payload builds to keep it past its call.
    public init(type: Int32, copying payload: Span<UInt8>) {
        // SAFETY: the buffer is the span's own memory, read (copied) only during the call.
        let bytes = unsafe payload.withUnsafeBufferPointer { unsafe Array($0) }
        self.init(type: type, payload: bytes)
    }
}

/// Sends an event to every registered handler, on the calling thread, before returning.
/// The corresponding C function is `native_trigger_event_ex`.
public func triggerEvent(type: Int32, payload: [UInt8]) {
    LibNative.native_trigger_event_ex(type: type, payload: RawSpan(_elements: payload.span))
}

/// The number of handlers registered with libnative right now.
/// The corresponding C function is `native_event_handler_count`.
package var registeredEventHandlerCount: Int {
    LibNative.native_event_handler_count()
}

/// What libnative's event callback reaches through `user_data`: an object that takes each
/// event on the thread that triggered it. `Sendable`: C calls it from any thread.
protocol EventReceiver: AnyObject, Sendable {
    /// Takes an event of `type`. `payload` is C's memory, valid only during this call.
    func receive(type: Int32, payload: Span<UInt8>)
}
