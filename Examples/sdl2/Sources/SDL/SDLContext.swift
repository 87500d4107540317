// SDL on one thread: an actor on a thread of its own, so SDL's rule that video and events are
// used from the thread that set them up is kept by the compiler.

import CSDL2
import SafeFFI

/// The process's SDL, running on one thread of its own.
///
/// SDL's video and event functions must be called from the thread that initialised video.
/// Every isolated method of this actor runs on the same OS thread (a
/// ``ThreadConfinedExecutor``), so code outside reaches SDL only through `await`, and SDL
/// always sees that one thread. An ordinary actor (or a lock, such as SafeFFI's
/// `Serialized`) would keep calls one at a time, but on whatever thread happens to run them.
///
/// SDL is initialised once per process, so there is one context: ``shared``.
public actor SDLContext {
    /// The one SDL of the process.
    public static let shared = SDLContext()

    /// The SDL thread (its `unownedExecutor` is in SDLCalls.swift).
    nonisolated let executor = ThreadConfinedExecutor()

    private var started = false
    /// The event type SDL_RegisterEvents gave for ``Event/user(code:)``, once started.
    private nonisolated let userEventType = UserEventType()

    private init() {}

    /// Initialises SDL's video and events (once; later calls do nothing), with `videoDriver`
    /// (`"dummy"` needs no display).
    public func start(videoDriver: String = "dummy") throws(SDLError) {
        guard !started else { return }
        try startSDL(videoDriver: videoDriver, userEventType: userEventType)
        started = true
    }

    /// Shuts SDL down (`SDL_Quit`); ``start(videoDriver:)`` may start it again.
    public func stop() {
        guard started else { return }
        stopSDL(userEventType: userEventType)
        started = false
    }

    /// Posts an event of the application's own type with `code`. Any thread may call it:
    /// SDL_PushEvent is thread-safe, and a ``stop()`` waits for a push under way.
    ///
    /// - Throws: ``SDLError`` when SDL is not started or its queue is full.
    public nonisolated func post(code: Int32) throws(SDLError) {
        try pushUserEvent(code: code, userEventType: userEventType)
    }

    /// SDL's events, as they arrive, until the consuming task is cancelled or the stream is
    /// dropped. Events are read on the SDL thread, which waits for them 10 ms at a time and
    /// lets other calls on this actor run after each. While SDL is stopped, the stream waits
    /// for it to start.
    ///
    /// One stream reads SDL's queue at a time: a new stream starts reading when the one
    /// before it has ended, so no event goes to a stream that has ended.
    public nonisolated func events() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        let reader = Task { await self.readEvents(into: continuation) }
        continuation.onTermination = { _ in reader.cancel() }
        return stream
    }

    /// Whether a stream's reader is taking events from SDL's queue.
    private var reading = false

    private func readEvents(into continuation: AsyncStream<Event>.Continuation) async {
        // One reader at a time: a stream that has just ended may still be finishing a wait,
        // and an event it took then would be lost to the new stream.
        while reading {
            if Task.isCancelled { return continuation.finish() }
            try? await Task.sleep(for: .milliseconds(5))
        }
        reading = true
        defer { reading = false }
        while !Task.isCancelled {
            guard started else {
                // No queue to wait on: SDL returns at once. Check again shortly.
                try? await Task.sleep(for: .milliseconds(10))
                continue
            }
            if let event = waitForEvent(milliseconds: 10, userEventType: userEventType) {
                continuation.yield(event)
            }
            // Between events, the actor's other calls run (a steady stream of events must
            // not hold the SDL thread).
            await Task.yield()
        }
        continuation.finish()
    }

    /// Creates a hidden window of `width` × `height` pixels, calls `body` with it, and
    /// destroys it. The window exists only inside `body`, which runs on the SDL thread: it
    /// cannot be kept, or used from another thread.
    public func withHiddenWindow<Result>(
        width: Int32, height: Int32, _ body: (borrowing Window) throws(SDLError) -> Result
    ) throws(SDLError) -> Result {
        let window = try Window(width: width, height: height)
        return try body(window)
    }
}
