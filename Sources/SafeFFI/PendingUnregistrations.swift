// Registrations ended away from the thread that asked: a stream's termination handler
// must never wait for a C callback.

/// A thread of its own that ends registrations handed to it, in order.
///
/// A stream's termination handler can run inside `Task.cancel()`, which holds the
/// cancelled task's status lock while it runs. Unregistering there waits for the C
/// callback in flight — and that callback may be inside `yield`, resuming the same task,
/// waiting for the same lock. So the handler only hands the registration over; this
/// thread unregisters it, waiting as long as C needs, and releases the context after.
/// The context stays alive until then, so a late callback still finds it (its element
/// is dropped: the stream has ended).
///
/// The thread is not one of Swift concurrency's: blocking here holds up no task. When no
/// thread can be made, a detached task ends the registrations instead: it blocks a thread
/// of the cooperative pool while C finishes a callback, which is worse, but still no
/// deadlock, and nothing leaks.
package final class PendingUnregistrations: Sendable {
    static let shared = PendingUnregistrations()

    /// Makes a detached thread that runs the function it is given, or returns why it could
    /// not: `LibC.pthread_create`, or, in the package's tests, one that fails.
    package typealias ThreadMaker = @Sendable (@escaping @Sendable () -> Void) -> LibCError?

    /// One registration's end, as handed over.
    private struct Job: Sendable {
        let end: @Sendable () -> Void
    }

    /// What the worker must end, oldest first.
    private struct State {
        var queue: [Job] = []
        /// Registrations handed over, and those ended, since this object was made.
        var handedOver = 0
        var ended = 0
        var workerStarted = false
        /// The thread ending registrations now (the worker, or a fallback task's thread).
        var ender: LibC.Thread? = nil
    }

    private let state = Serialized(State())
    /// Wakes the worker when a registration is queued, and waiters when one has ended.
    private let changed = SerializedCondition()
    private let makeThread: ThreadMaker

    /// `LibC.pthread_create`, as a ``ThreadMaker``.
    package static let defaultThreadMaker: ThreadMaker = { body in
        if case .failure(let error) = LibC.pthread_create(body) { return error }
        return nil
    }

    /// A queue of its own, with no thread until the first registration is handed over; its
    /// thread, once made, lasts as long as the process. Everything but the package's tests
    /// uses `shared`.
    package init(makeThread: @escaping ThreadMaker = defaultThreadMaker) {
        self.makeThread = makeThread
    }

    /// Hands `end` — a registration's unregistration — to the worker thread, which runs it
    /// soon after.
    package func end(_ end: @escaping @Sendable () -> Void) {
        let startWorker = state.withLock { (state) -> Bool in
            state.queue.append(Job(end: end))
            state.handedOver += 1
            defer { state.workerStarted = true }
            return !state.workerStarted
        }
        changed.wakeAll()
        if startWorker { startWorkerThread() }
    }

    /// Blocks until every registration handed over before this call has been ended (later
    /// ones do not keep it waiting).
    package func waitUntilEmpty() {
        let current = LibC.pthread_self()
        let target = state.withLock { (state) -> Int in
            let onEnder = state.ender.map { LibC.pthread_equal($0, current) } ?? false
            precondition(
                !onEnder,
                "CallbackStream.waitForPendingUnregistrations() called from a registration's unregister function")
            return state.handedOver
        }
        state.withLock(waitingOn: changed, until: { $0.ended >= target }, then: { _ in })
    }

    private func startWorkerThread() {
        if makeThread({ self.run() }) != nil {
            // No thread to be had (EAGAIN): the next registration handed over tries again.
            state.withLock { $0.workerStarted = false }
            Task.detached { self.drain() }
        }
    }

    /// The worker thread's loop: never returns.
    private func run() {
        let current = LibC.pthread_self()
        state.withLock { $0.ender = current }
        while true {
            let job = state.withLock(
                waitingOn: changed, until: { !$0.queue.isEmpty }, then: { $0.queue.removeFirst() })
            endOne(job)
        }
    }

    /// Ends everything queued now, on the calling thread.
    private func drain() {
        let current = LibC.pthread_self()
        while let job = state.withLock({ (state) -> Job? in
            guard !state.queue.isEmpty else {
                state.ender = nil
                return nil
            }
            state.ender = current
            return state.queue.removeFirst()
        }) {
            endOne(job)
        }
    }

    private func endOne(_ job: Job) {
        job.end()
        state.withLock { $0.ended += 1 }
        changed.wakeAll()
    }
}
