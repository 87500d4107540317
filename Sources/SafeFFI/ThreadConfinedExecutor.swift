// One OS thread for a C library that must always be called from the same thread.

import Glibc

/// A serial executor that runs every job on one thread of its own.
///
/// Some C libraries must be called from the thread that set them up: SDL's video and
/// events, OpenGL contexts, many GUI toolkits. Swift's actors run on whatever thread the
/// runtime picks, so an actor alone does not keep that rule. An actor whose
/// `unownedExecutor` is this executor's does: all of its code runs on this one thread,
/// and the compiler's isolation checks (`await` from outside, no synchronous access) are
/// then the library's thread rule.
///
/// ```swift
/// actor Display {
///     nonisolated let executor = ThreadConfinedExecutor()
///     // SAFETY: the actor keeps its executor alive (a stored constant).
///     nonisolated var unownedExecutor: UnownedSerialExecutor { unsafe executor.asUnownedSerialExecutor() }
///     func draw() { library_draw() }     // always on the executor's thread
/// }
/// ```
///
/// The thread starts with the executor and ends when the executor does. Each queued job
/// keeps the executor alive until it has run, so the executor never ends with work left.
@safe
public final class ThreadConfinedExecutor: SerialExecutor, @unchecked Sendable {
    // Sendable: the queue is reached only under its lock.
    private let queue: JobQueue

    /// Starts the thread.
    public init() {
        queue = JobQueue()
        var thread = pthread_t()
        // The thread owns a reference to the queue, released when it ends.
        // SAFETY: the +1 reference is taken back exactly once, by the thread.
        let context = unsafe Unmanaged.passRetained(queue).toOpaque()
        // SAFETY: the context is a +1 reference to the queue, taken back exactly once by the
        // thread; pthread_create writes `thread` before returning.
        let status = unsafe pthread_create(
            &thread, nil,
            { context in
                let queue = unsafe Unmanaged<JobQueue>.fromOpaque(context!).takeRetainedValue()
                queue.run()
                return nil
            }, context)
        precondition(status == 0, "pthread_create failed with \(status)")
        pthread_detach(thread)
        // SAFETY: the queue keeps the executor unowned; see JobQueue.executor.
        unsafe queue.start(thread: thread, executor: UnownedSerialExecutor(ordinary: self))
    }

    deinit {
        queue.stop()
    }

    /// Queues `job` to run on the executor's thread, after those queued before it.
    public func enqueue(_ job: consuming ExecutorJob) {
        // The job holds the executor until it has run (released by the thread's loop).
        // SAFETY: one +1 reference per job, released exactly once after the job runs.
        unsafe queue.append(UnownedJob(job), keeping: Unmanaged.passRetained(self))
    }

    /// This executor, for an actor's `unownedExecutor`. The reference is unowned: the actor
    /// keeps the executor alive (a stored constant), as in the example above.
    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        // SAFETY: an unowned reference to this executor, which the actor using it keeps alive.
        unsafe UnownedSerialExecutor(ordinary: self)
    }

    /// Whether the caller runs on the executor's thread.
    public var isCurrentThread: Bool { queue.isCurrentThread }

    /// Stops the process unless the caller runs on the executor's thread (what
    /// `assumeIsolated` asks of an executor).
    public func checkIsolated() {
        precondition(isCurrentThread, "not on the thread of ThreadConfinedExecutor")
    }
}

/// The jobs waiting for the executor's thread, and the thread's loop.
@safe
final class JobQueue: @unchecked Sendable {
    // SAFETY (class invariant): `lock` and `ready` are initialised for the object's life;
    // `jobs`, `stopping` and `thread` are read and written only while `lock` is held.
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let ready: UnsafeMutablePointer<pthread_cond_t>
    private var jobs: [(job: UnownedJob, executor: Unmanaged<ThreadConfinedExecutor>)] = unsafe []
    private var stopping = false
    private var thread: pthread_t? = nil
    // The executor the jobs run on. Unowned: each queued job holds a +1 reference to it.
    private var executor: UnownedSerialExecutor? = nil

    init() {
        // SAFETY: fresh memory, initialised once here and destroyed once in deinit.
        unsafe lock = .allocate(capacity: 1)
        unsafe ready = .allocate(capacity: 1)
        unsafe pthread_mutex_init(lock, nil)
        unsafe pthread_cond_init(ready, nil)
    }

    deinit {
        // SAFETY: no other reference exists in deinit, so nothing waits or holds the lock.
        unsafe pthread_cond_destroy(ready)
        unsafe pthread_mutex_destroy(lock)
        unsafe ready.deallocate()
        unsafe lock.deallocate()
    }

    private func locked<Result>(_ body: () -> Result) -> Result {
        // SAFETY: the lock is initialised (class invariant) and released before returning.
        unsafe pthread_mutex_lock(lock)
        defer { unsafe pthread_mutex_unlock(lock) }
        return body()
    }

    func start(thread: pthread_t, executor: UnownedSerialExecutor) {
        locked {
            self.thread = thread
            unsafe self.executor = executor
            // SAFETY: as in append.
            unsafe pthread_cond_signal(ready)
        }
    }

    var isCurrentThread: Bool {
        let current = pthread_self()
        return locked { thread.map { pthread_equal($0, current) != 0 } ?? false }
    }

    func append(_ job: UnownedJob, keeping executor: Unmanaged<ThreadConfinedExecutor>) {
        locked {
            precondition(!stopping, "a job was queued on a ThreadConfinedExecutor that has ended")
            // SAFETY: the kept reference travels with its job and is released once, after it runs.
            unsafe jobs.append((job, executor))
            // SAFETY: the condition is initialised (class invariant); signalled under its lock.
            unsafe pthread_cond_signal(ready)
        }
    }

    func stop() {
        locked {
            stopping = true
            // SAFETY: as in append.
            unsafe pthread_cond_signal(ready)
        }
    }

    /// The thread's loop: runs jobs in order until stopped and empty.
    func run() {
        while true {
            // SAFETY: the wait releases and retakes the lock (class invariant).
            unsafe pthread_mutex_lock(lock)
            while unsafe (jobs.isEmpty || executor == nil) && !stopping { unsafe pthread_cond_wait(ready, lock) }
            guard unsafe !jobs.isEmpty, let executor = unsafe executor else {
                unsafe pthread_mutex_unlock(lock)
                return
            }
            let (job, kept) = unsafe jobs.removeFirst()
            unsafe pthread_mutex_unlock(lock)
            // SAFETY: each job was given to this executor once and runs once, on its thread;
            // the reference it kept is released after it has run.
            unsafe job.runSynchronously(on: executor)
            unsafe kept.release()
        }
    }
}
