// Registrations ended away from the thread that asked: a stream's termination handler
// must never wait for a C callback.

import Glibc

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
/// The thread is not one of Swift concurrency's: blocking here holds up no task.
@safe
final class PendingUnregistrations: @unchecked Sendable {
    // @unchecked Sendable: `state` is touched only with `mutex` held.

    static let shared = PendingUnregistrations()

    /// What the worker must end, oldest first.
    private struct State {
        var queue: [RegistrationHolder] = []
        /// Registrations handed over, and those ended, since the process started.
        var handedOver = 0
        var ended = 0
        var workerStarted = false
        /// The thread ending registrations now (the worker, or a fallback task's thread).
        var ender = pthread_t()
        var hasEnder = false
    }

    // SAFETY (invariant): allocated and initialised in init, never freed (the object lives
    // as long as the process); `state` is read and written only with `mutex` held.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>
    private let state: UnsafeMutablePointer<State>

    private init() {
        // SAFETY: fresh allocations, each initialised once before use (the invariant above).
        unsafe mutex = .allocate(capacity: 1)
        unsafe changed = .allocate(capacity: 1)
        unsafe state = .allocate(capacity: 1)
        unsafe pthread_mutex_init(mutex, nil)
        unsafe pthread_cond_init(changed, nil)
        unsafe state.initialize(to: State())
    }

    /// Runs `body` with the state, the mutex held.
    private func locked<R>(_ body: (inout State) -> R) -> R {
        // SAFETY: the invariant above; the lock is released on every path.
        unsafe pthread_mutex_lock(mutex)
        defer { unsafe pthread_mutex_unlock(mutex) }
        return unsafe body(&state.pointee)
    }

    /// Waits, the mutex held, until `ready` holds of the state; then runs `body` with it.
    ///
    /// The state is read afresh after every wake-up, through the pointer, never inside
    /// `locked`'s `inout` access: for the length of an `inout` access the optimiser may
    /// assume that nothing else changes the state and keep the first value it read across
    /// every wake-up, a hang in release builds.
    private func lockedWaiting<R>(until ready: (State) -> Bool, then body: (inout State) -> R) -> R {
        // SAFETY: the invariant above; pthread_cond_wait is called with the mutex held, as
        // pthread requires, and the lock is released on every path.
        unsafe pthread_mutex_lock(mutex)
        defer { unsafe pthread_mutex_unlock(mutex) }
        while unsafe !ready(state.pointee) {
            unsafe pthread_cond_wait(changed, mutex)
        }
        return unsafe body(&state.pointee)
    }

    /// Hands `holder` to the worker thread, which ends its registration soon after.
    func end(_ holder: RegistrationHolder) {
        let startWorker = locked { (state) -> Bool in
            state.queue.append(holder)
            state.handedOver += 1
            // SAFETY: signalled with the mutex held, as the waiters expect.
            unsafe pthread_cond_broadcast(changed)
            defer { state.workerStarted = true }
            return !state.workerStarted
        }
        if startWorker { startWorkerThread() }
    }

    /// Blocks until every registration handed over before this call has been ended (later
    /// ones do not keep it waiting).
    func waitUntilEmpty() {
        let target = locked { (state) -> Int in
            let onEnder = state.hasEnder && pthread_equal(state.ender, pthread_self()) != 0
            precondition(
                !onEnder,
                "CallbackStream.waitForPendingUnregistrations() called from a registration's unregister function")
            return state.handedOver
        }
        lockedWaiting(until: { $0.ended >= target }, then: { _ in })
    }

    private func startWorkerThread() {
        var thread = pthread_t()
        // SAFETY: the entry point takes no argument; it reaches `shared`, which lives as
        // long as the process.
        let status = unsafe pthread_create(
            &thread, nil,
            { _ in
                PendingUnregistrations.shared.run()
                return nil
            }, nil)
        guard status == 0 else {
            // No thread to be had (EAGAIN): end each registration on a task instead. It
            // blocks a thread of the cooperative pool while C finishes a callback — worse,
            // but still no deadlock, and nothing leaks.
            locked { $0.workerStarted = false }
            Task.detached { self.drain() }
            return
        }
        pthread_detach(thread)
    }

    /// The worker thread's loop: never returns.
    private func run() {
        locked { (state) in
            state.ender = pthread_self()
            state.hasEnder = true
        }
        while true {
            let holder = lockedWaiting(until: { !$0.queue.isEmpty }, then: { $0.queue.removeFirst() })
            endOne(holder)
        }
    }

    /// Ends everything queued now, on the calling thread.
    private func drain() {
        while let holder = locked({ (state) -> RegistrationHolder? in
            guard !state.queue.isEmpty else {
                state.hasEnder = false
                return nil
            }
            state.ender = pthread_self()
            state.hasEnder = true
            return state.queue.removeFirst()
        }) {
            endOne(holder)
        }
    }

    private func endOne(_ holder: RegistrationHolder) {
        holder.endNow()
        locked { (state) in
            state.ended += 1
            // SAFETY: signalled with the mutex held, as the waiters expect.
            unsafe pthread_cond_broadcast(changed)
        }
    }
}
