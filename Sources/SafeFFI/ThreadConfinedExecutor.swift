// One OS thread for a C library that must always be called from the same thread.

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
        let queue = JobQueue()
        self.queue = queue
        // The thread owns a reference to the queue, released when it ends.
        switch LibC.pthread_create({ queue.run() }) {
        case .success(let thread):
            // SAFETY: the queue keeps the executor unowned; see JobQueue.executor.
            unsafe queue.start(thread: thread, executor: UnownedSerialExecutor(ordinary: self))
        case .failure(let error):
            preconditionFailure("ThreadConfinedExecutor: pthread_create failed with \(error.code)")
        }
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
final class JobQueue: Sendable {
    @safe
    private struct State: @unchecked Sendable {
        // @unchecked Sendable: the jobs and the executor reference move to the executor's
        // thread, which is what they are queued for; each is used there once.
        // SAFETY: starts empty; each job and its kept reference are appended together.
        var jobs: [(job: UnownedJob, executor: Unmanaged<ThreadConfinedExecutor>)] = unsafe []
        var stopping = false
        var thread: LibC.Thread? = nil
        // The executor the jobs run on. Unowned: each queued job holds a +1 reference to it.
        var executor: UnownedSerialExecutor? = nil
    }

    private let state = Serialized(State())
    /// Wakes the thread when a job is queued, the executor is set, or it must stop.
    private let ready = SerializedCondition()

    func start(thread: LibC.Thread, executor: UnownedSerialExecutor) {
        state.withLock { (state) in
            state.thread = thread
            // SAFETY: an unowned reference, kept alive by the jobs' +1 references (above).
            unsafe state.executor = executor
        }
        ready.wakeAll()
    }

    var isCurrentThread: Bool {
        let current = LibC.pthread_self()
        return state.withLock { $0.thread.map { LibC.pthread_equal($0, current) } ?? false }
    }

    func append(_ job: UnownedJob, keeping executor: Unmanaged<ThreadConfinedExecutor>) {
        state.withLock { (state) in
            precondition(!state.stopping, "a job was queued on a ThreadConfinedExecutor that has ended")
            // SAFETY: the kept reference travels with its job and is released once, after it runs.
            unsafe state.jobs.append((job, executor))
        }
        ready.wakeAll()
    }

    func stop() {
        state.withLock { $0.stopping = true }
        ready.wakeAll()
    }

    /// The thread's loop: runs jobs in order until stopped and empty.
    func run() {
        while true {
            // SAFETY: a job and the reference it keeps leave the lock together, to be run and
            // released once, below.
            let next = unsafe state.withLock(
                waitingOn: ready, until: { unsafe (!$0.jobs.isEmpty && $0.executor != nil) || $0.stopping },
                then: {
                    (state) -> (job: UnownedJob, kept: Unmanaged<ThreadConfinedExecutor>, on: UnownedSerialExecutor)? in
                    // SAFETY: reads the queue under its lock; the job leaves it once.
                    guard unsafe !state.jobs.isEmpty, let executor = unsafe state.executor else { return nil }
                    let (job, kept) = unsafe state.jobs.removeFirst()
                    return unsafe (job, kept, executor)
                })
            // SAFETY: the job taken above, with its kept reference and the executor.
            guard let (job, kept, executor) = unsafe next else { return }
            // SAFETY: each job was given to this executor once and runs once, on its thread;
            // the reference it kept is released after it has run.
            unsafe job.runSynchronously(on: executor)
            unsafe kept.release()
        }
    }
}
