// State that many threads share, reached one thread at a time.

/// State guarded by a lock, for C state that is not thread-safe and Swift state that
/// must change together with it.
///
/// `Serialized` is built on `pthread_mutex_t` rather than `Synchronization.Mutex`: on
/// Linux, `Mutex` waits on futexes that ThreadSanitizer does not model, so TSan reports
/// races on correctly locked code (seen with Swift 6.3.1: two threads incrementing a
/// counter inside `Mutex.withLock` give the right total and a TSan report). Sanitizer
/// runs are how this project proves its thread safety, so its locks must be visible to
/// them.
///
/// The lock is not recursive: calling ``withLock(_:)`` again from inside its own body on
/// the same thread is detected (see ``withLockUnlessReentrant(_:)``).
///
/// `Serialized` is `Sendable` when its state is: a type that wraps a C pointer states, in
/// its own `@unchecked Sendable` conformance, that it is reached only through the lock.
@safe
public final class Serialized<State: ~Copyable> {
    // SAFETY (class invariant): `mutex` and `state` are allocated and initialised for the
    // object's whole life, and `state` is read or written only while `mutex` is held.
    // The state lives outside the object so that every access to it goes through the
    // lock. (As a stored property, a zero-sized state shares its address with the object
    // header, and ThreadSanitizer reported an access race outside the lock — Swift 6.3.1.)
    @usableFromInline let mutex: UnsafeMutablePointer<LibC.Mutex>
    @usableFromInline let state: UnsafeMutablePointer<State>

    /// Creates a lock around `initialState`.
    public init(_ initialState: consuming State) {
        // SAFETY: both allocations are initialised below before any use and freed once,
        // in deinit.
        unsafe mutex = .allocate(capacity: 1)
        // An error-checking mutex reports a re-entrant lock instead of deadlocking.
        // SAFETY: fresh memory, initialised once.
        unsafe LibC.pthread_mutex_init_errorcheck(mutex)
        // SAFETY: as above: initialised on the next line, freed once in deinit.
        unsafe state = .allocate(capacity: 1)
        // SAFETY: fresh memory for one State, initialised once.
        unsafe state.initialize(to: initialState)
    }

    deinit {
        // SAFETY: no other reference exists in deinit, so the mutex is unlocked.
        unsafe LibC.pthread_mutex_destroy(mutex)
        unsafe mutex.deallocate()
        unsafe state.deinitialize(count: 1)
        unsafe state.deallocate()
    }

    /// Runs `body` with exclusive access to the state and returns its result.
    ///
    /// Calling it again from inside `body` on the same thread stops the program with a
    /// message (a deadlock would hang it silently); use ``withLockUnlessReentrant(_:)``
    /// where re-entry is a user's mistake to report.
    ///
    /// Inlinable (as is ``withLockUnlessReentrant(_:)``) so that each use is specialised:
    /// an unspecialised generic call costs more than the lock itself.
    @inlinable
    public func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout State) throws(E) -> Result
    ) throws(E) -> Result {
        guard let result = try withLockUnlessReentrant(body) else {
            preconditionFailure("Serialized.withLock called again from inside its own body on the same thread")
        }
        return result
    }

    /// Runs `body` with exclusive access to the state, or returns `nil` without running it
    /// when the calling thread already holds the lock (a re-entrant call, which would
    /// otherwise deadlock).
    @inlinable
    public func withLockUnlessReentrant<Result: ~Copyable, E: Error>(
        _ body: (inout State) throws(E) -> Result
    ) throws(E) -> Result? {
        // SAFETY: the mutex is initialised (class invariant).
        try locked(unsafe LibC.pthread_mutex_lock(mutex), unlessStatus: LibC.EDEADLK, "pthread_mutex_lock", body)
    }

    /// Runs `body` when `status`, the result of locking the mutex, says the lock is held;
    /// returns `nil` for `refusal`; stops the program on any other failure.
    @inlinable
    func locked<Result: ~Copyable, E: Error>(
        _ status: Int32, unlessStatus refusal: Int32, _ call: StaticString, _ body: (inout State) throws(E) -> Result
    ) throws(E) -> Result? {
        if status == refusal {
            return nil
        }
        precondition(status == 0, "\(call) failed with \(status)")
        // SAFETY: the mutex is held (status 0), and unlocked on every path through `defer`;
        // the state is read only while it is held (class invariant).
        defer { unsafe LibC.pthread_mutex_unlock(mutex) }
        return .some(try unsafe body(&state.pointee))
    }
}

extension Serialized where State: ~Copyable {
    /// Runs `body` with exclusive access to the state when no thread holds the lock, and
    /// returns its result; returns `nil` at once, without running it, when a thread does
    /// (the calling one included). For choosing a free one among several.
    @inlinable
    public func withLockIfAvailable<Result: ~Copyable, E: Error>(
        _ body: (inout State) throws(E) -> Result
    ) throws(E) -> Result? {
        // SAFETY: the mutex is initialised (class invariant).
        try locked(unsafe LibC.pthread_mutex_trylock(mutex), unlessStatus: LibC.EBUSY, "pthread_mutex_trylock", body)
    }
}

extension Serialized where State: ~Copyable {
    /// Waits until `ready` holds of the state, sleeping on `condition` between changes, and
    /// then runs `body` with exclusive access to it. For SafeFFI's own threads, which wait
    /// for work another thread hands them.
    ///
    /// `condition` must be used with this lock alone. The state is read afresh through its
    /// pointer after every wake-up: inside one `inout` access the optimiser could keep the
    /// first value it read, and the wait would never see the change it waits for.
    func withLock<Result>(
        waitingOn condition: SerializedCondition, until ready: (borrowing State) -> Bool,
        then body: (inout State) -> Result
    ) -> Result {
        // SAFETY: the mutex is initialised (class invariant); pthread_cond_wait is called
        // with it held, as pthread requires, and it is released on every path.
        let status = unsafe LibC.pthread_mutex_lock(mutex)
        precondition(status == 0, "pthread_mutex_lock failed with \(status)")
        // SAFETY: the lock taken above, released once whichever way this returns.
        defer { unsafe LibC.pthread_mutex_unlock(mutex) }
        // SAFETY: the state is read with the lock held; the wait releases and retakes it.
        while unsafe !ready(state.pointee) {
            unsafe LibC.pthread_cond_wait(condition.condition, mutex)
        }
        // SAFETY: the lock is held: the state is this thread's alone until the defer.
        return unsafe body(&state.pointee)
    }
}

/// A condition variable that threads sleep on until another changes the state of one
/// ``Serialized`` and wakes them; see `Serialized.withLock(waitingOn:until:then:)`.
@safe
final class SerializedCondition: @unchecked Sendable {
    // Sendable: a pthread condition is made to be shared between threads.
    // SAFETY (class invariant): initialised for the object's whole life.
    fileprivate let condition: UnsafeMutablePointer<LibC.Condition>

    init() {
        // SAFETY: fresh memory, initialised once, destroyed and freed once in deinit.
        unsafe condition = .allocate(capacity: 1)
        // SAFETY: the fresh memory just allocated, initialised once.
        unsafe LibC.pthread_cond_init(condition)
    }

    deinit {
        // SAFETY: no other reference exists in deinit, so no thread waits on it.
        unsafe LibC.pthread_cond_destroy(condition)
        unsafe condition.deallocate()
    }

    /// Wakes every thread waiting on it. Call it after changing the state they wait on.
    func wakeAll() {
        // SAFETY: initialised (class invariant).
        unsafe LibC.pthread_cond_broadcast(condition)
    }
}

// SAFETY: every access to the state happens with the mutex held, and the state itself may
// move between threads (it is Sendable).
extension Serialized: @unchecked Sendable where State: ~Copyable & Sendable {}
