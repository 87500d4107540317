// The tutorial's event system ("Callback with Context"), with each of its defects fixed:
// handlers per event type, registered with libnative as one registration.

import SafeFFI

/// Handlers per event type, started and stopped as one registration with libnative.
///
/// The context C holds is released on ``stop()``; each payload is exactly as long as C
/// says; handlers run outside the handler lock, so a handler may add handlers; a handler's
/// error is caught and reported, never unwound into C. `stop()` returns only when no
/// handler call is still running.
///
/// `Sendable`: all of its state is behind locks, and C calls it from any thread.
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

    /// Adds a handler for events of `type`. Handlers run on the thread that triggered the
    /// event, in the order they were added. Adding from inside a handler is allowed.
    public func addHandler(forEventType type: Int32, handler: @escaping @Sendable (Event) throws -> Void) {
        dispatcher.add(handler, for: type)
    }

    /// The name this method shipped with; it adds a handler and registers nothing with C.
    @available(*, deprecated, renamed: "addHandler(forEventType:handler:)")
    public func register(eventType type: Int32, handler: @escaping @Sendable (Event) throws -> Void) {
        addHandler(forEventType: type, handler: handler)
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
            current = try LibNative.registerEventReceiver(dispatcher)
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
/// `Sendable`: its only state is behind a lock, and C calls it from any thread.
final class EventDispatcher: EventReceiver {
    typealias Handler = @Sendable (Event) throws -> Void

    private let handlers = Serialized([Int32: [Handler]]())
    private let onHandlerError: @Sendable (Event, any Error) -> Void

    init(onHandlerError: @escaping @Sendable (Event, any Error) -> Void) {
        self.onHandlerError = onHandlerError
    }

    func add(_ handler: @escaping Handler, for type: Int32) {
        handlers.withLock { $0[type, default: []].append(handler) }
    }

    /// Runs the handlers of the event's type outside the lock, so a handler may register
    /// handlers itself. A handler's error is reported, never thrown into C.
    func receive(_ event: Event) {
        let matching = handlers.withLock { $0[event.type] ?? [] }
        for handler in matching {
            do {
                try handler(event)
            } catch {
                onHandlerError(event, error)
            }
        }
    }
}
