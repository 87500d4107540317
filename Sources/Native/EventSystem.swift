// The tutorial's event system ("Callback with Context"), with each of its defects fixed:
// handlers per event type, registered with libnative as one registration.

import SafeFFI

/// Handlers per event type, started and stopped as one registration with libnative.
///
/// The context C holds is released on ``stop()``; each payload is exactly as long as C
/// says; handlers run with no lock held, so a handler may add handlers; a handler's error
/// is caught and reported, never unwound into C. `stop()` returns only when no handler call
/// is still running.
///
/// A handler receives either an ``Event`` it may keep (``addHandler(forEventType:handler:)``,
/// a copy of the payload for each such handler) or the payload in place, as a `Span<UInt8>` valid
/// during its call (``addPayloadHandler(forEventType:handler:)``: no copy, no allocation).
/// An event costs no lock in Swift, no retain and no hashing: the handler list is read
/// with one atomic load.
///
/// `Sendable`: its state is behind a lock or published atomically, and C calls it from any
/// thread.
public final class EventSystem: Sendable {
    private let dispatcher: EventDispatcher
    private let registration = Serialized<CallbackRegistration?>(nil)

    /// Creates a stopped event system.
    ///
    /// - Parameter onHandlerError: called with the event and the error when a handler
    ///   throws; the other handlers still run.
    public init(onHandlerError: @escaping @Sendable (Event, any Error) -> Void = { _, _ in }) {
        dispatcher = EventDispatcher(onHandlerError: onHandlerError)
    }

    deinit {
        stop()
    }

    /// Adds a handler for events of `type`; it receives each event as an ``Event`` that it
    /// may keep (its payload is a copy). Handlers run on the thread that triggered the
    /// event, in the order they were added. Adding from inside a handler is allowed; the
    /// new handler sees the events triggered after it was added.
    ///
    /// When the handler throws, `onHandlerError` receives the event and the error, and the
    /// other handlers still run.
    public func addHandler(forEventType type: Int32, handler: @escaping @Sendable (Event) throws -> Void) {
        dispatcher.add(for: type) { payload in try handler(Event(type: type, copying: payload)) }
    }

    /// Adds a handler for events of `type` that reads each payload in place: no copy and no
    /// allocation per event. The span is libnative's memory, valid only during the handler's
    /// call; copy what you keep (``Event/init(type:copying:)``). Handlers of both kinds run
    /// on the thread that triggered the event, in the order they were added; adding from
    /// inside a handler is allowed.
    ///
    /// When the handler throws, `onHandlerError` receives the error and an ``Event`` with a
    /// copy of the payload, and the other handlers still run.
    public func addPayloadHandler(
        forEventType type: Int32, handler: @escaping @Sendable (_ payload: Span<UInt8>) throws -> Void
    ) {
        dispatcher.add(for: type, handler)
    }

    /// Whether the system is registered with libnative.
    public var isRunning: Bool {
        registration.withLock { $0 != nil }
    }

    /// Registers with libnative, so its events reach the handlers. Does nothing when
    /// already running. The corresponding C function is `register_event_handler`.
    ///
    /// - Throws: ``NativeError/library(function:code:message:)`` with code 5 when
    ///   libnative's handler table is full.
    public func start() throws(NativeError) {
        try registration.withLock { (current) throws(NativeError) in
            guard current == nil else { return }
            current = try LibNative.native_register_event_handler_ex(dispatcher)
        }
    }

    /// Unregisters from libnative and waits for running handler calls to finish; then the
    /// context is released. Does nothing when stopped. Safe to call from inside a handler
    /// (it then does not wait for that handler's own call).
    /// The corresponding C function is `unregister_event_handler`.
    public func stop() {
        let ending = registration.withLock { $0.take() }
        ending?.end()
    }
}

/// Receives events for an ``EventSystem``: the context C reaches through `user_data`.
///
/// `Sendable`: its handler list is read without a lock and appended to under one, and C
/// calls it from any thread.
final class EventDispatcher: EventReceiver {
    private let handlers = EventHandlerList()
    private let onHandlerError: @Sendable (Event, any Error) -> Void

    init(onHandlerError: @escaping @Sendable (Event, any Error) -> Void) {
        self.onHandlerError = onHandlerError
    }

    func add(for type: Int32, _ handler: @escaping @Sendable (Span<UInt8>) throws -> Void) {
        handlers.append(handler, for: type)
    }

    /// Runs the handlers of the event's type; no lock is held, so a handler may add
    /// handlers itself. A handler's error is reported, never thrown into C.
    func receive(type: Int32, payload: Span<UInt8>) {
        handlers.callHandlers(ofType: type, with: payload) { error in
            onHandlerError(Event(type: type, copying: payload), error)
        }
    }
}
