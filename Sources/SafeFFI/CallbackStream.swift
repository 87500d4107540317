// C callbacks as an AsyncSequence, whose end unregisters the callback.

/// Where a C callback delivers elements of a callback stream. Pass it (or an object
/// holding it) as the registration's context.
public final class StreamSink<Element: Sendable>: Sendable {
    private let continuation: AsyncStream<Element>.Continuation

    init(_ continuation: AsyncStream<Element>.Continuation) {
        self.continuation = continuation
    }

    /// Offers an element to the stream. Never blocks, so it is safe on a C thread; what
    /// happens when the consumer is slow is the stream's buffering policy.
    ///
    /// - Returns: `false` when the stream has ended (the element is dropped).
    @discardableResult
    public func yield(_ element: sending Element) -> Bool {
        switch continuation.yield(element) {
        case .terminated: false
        case .enqueued, .dropped: true
        @unknown default: true
        }
    }

    /// Ends the stream; its registration then ends too.
    public func finish() {
        continuation.finish()
    }
}

/// Bridges a C callback to an `AsyncStream`.
public enum CallbackStream {
    /// Makes a stream fed by a C callback registered through `register`.
    ///
    /// The registration ends — the C callback is unregistered and its context released —
    /// when the stream ends for any reason: the consuming task is cancelled, the stream
    /// and its iterators are dropped, or the sink finishes it.
    ///
    /// That end happens on a thread of its own, shortly after the stream ends, never in
    /// the code that ended it: a termination handler can run inside `Task.cancel()`,
    /// holding a lock that a C callback in flight needs in order to return, so waiting
    /// for C there could deadlock. Until C has unregistered, a late callback still finds
    /// its context and its element is dropped. To know that C has let go — before
    /// unloading the library, before registering again with a C library that has a fixed
    /// number of slots, or in a test — call ``waitForPendingUnregistrations()``.
    ///
    /// - Parameters:
    ///   - elementType: the type of the stream's elements.
    ///   - bufferingPolicy: what happens when C delivers faster than the consumer reads.
    ///     There is no default: choose `.bufferingNewest(n)`, `.bufferingOldest(n)` or
    ///     `.unbounded` knowingly.
    ///   - register: registers the C callback with a context that reaches the sink.
    /// - Throws: what `register` throws; nothing is left registered then.
    public static func make<Element: Sendable, E: Error>(
        of elementType: Element.Type = Element.self,
        bufferingPolicy: AsyncStream<Element>.Continuation.BufferingPolicy,
        register: (StreamSink<Element>) throws(E) -> CallbackRegistration
    ) throws(E) -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self, bufferingPolicy: bufferingPolicy)
        let holder = RegistrationHolder()
        continuation.onTermination = { _ in holder.streamEnded() }
        do {
            holder.install(try register(StreamSink(continuation)))
        } catch {
            continuation.finish()
            throw error
        }
        return stream
    }

    /// Blocks until every stream that has ended so far is unregistered from C and its
    /// context released.
    ///
    /// Call it from ordinary code, never from a C callback or an unregister function (the
    /// thread doing the unregistering would wait for itself; that is stopped with a
    /// message).
    public static func waitForPendingUnregistrations() {
        PendingUnregistrations.shared.waitUntilEmpty()
    }
}

/// The stream's registration, ended at most once, from whichever side ends first.
final class RegistrationHolder: Sendable {
    private struct Slot: ~Copyable {
        var ended = false
        var registration: CallbackRegistration?
        var isInstalled = false
    }

    private let slot = Serialized(Slot())

    /// Keeps `registration` until the stream ends; ends it at once if the stream already
    /// ended (this runs in ``CallbackStream/make(of:bufferingPolicy:register:)``, on the
    /// caller's thread, where waiting for C is safe).
    func install(_ registration: consuming sending CallbackRegistration) {
        var pending: CallbackRegistration? = consume registration
        let late = slot.withLock { (slot) -> CallbackRegistration? in
            if slot.ended {
                return pending.take()
            }
            slot.registration = pending.take()
            slot.isInstalled = true
            return nil
        }
        late?.end()
    }

    /// The stream has ended: hands the registration to ``PendingUnregistrations`` rather
    /// than waiting for C here (see there why).
    func streamEnded() {
        let handOver = slot.withLock { (slot) -> Bool in
            defer { slot.ended = true }
            return slot.isInstalled && !slot.ended
        }
        if handOver { PendingUnregistrations.shared.end { self.endNow() } }
    }

    /// Unregisters and releases the context, waiting for C's running callbacks.
    func endNow() {
        let taken = slot.withLock { $0.registration.take() }
        taken?.end()
    }
}
