import Glibc
import SafeFFI
import Testing

/// An actor whose code all runs on one thread of its own.
actor Confined {
    nonisolated let executor = ThreadConfinedExecutor()
    // SAFETY: the actor keeps its executor alive (a stored constant).
    nonisolated var unownedExecutor: UnownedSerialExecutor { unsafe executor.asUnownedSerialExecutor() }
    private var log: [Int] = []

    /// The thread this runs on, and whether the executor agrees it is its own.
    func thread() -> (pthread_t, Bool) { (pthread_self(), executor.isCurrentThread) }

    func record(_ value: Int) -> pthread_t {
        log.append(value)
        return pthread_self()
    }

    func recorded() -> [Int] { log }
}

@Suite("ThreadConfinedExecutor: one OS thread for an actor")
struct ThreadConfinedExecutorTests {
    @Test("every call runs on the same thread, which is not the caller's")
    func oneThread() async {
        let confined = Confined()
        let (first, isCurrent) = await confined.thread()
        #expect(isCurrent)
        #expect(!confined.executor.isCurrentThread)
        #expect(pthread_equal(first, pthread_self()) == 0)
        let threads = await withTaskGroup(of: pthread_t.self) { group in
            for value in 0..<200 { group.addTask { await confined.record(value) } }
            var threads: [pthread_t] = []
            for await thread in group { threads.append(thread) }
            return threads
        }
        #expect(threads.count == 200)
        #expect(threads.allSatisfy { pthread_equal($0, first) != 0 })
        #expect(Set(await confined.recorded()) == Set(0..<200))
    }

    @Test("calls from one task run in the order it makes them")
    func inOrder() async {
        let confined = Confined()
        for value in 0..<100 { _ = await confined.record(value) }
        #expect(await confined.recorded() == Array(0..<100))
    }

    @Test("two executors alive at once have two threads")
    func twoThreads() async {
        // Both alive: a thread that has ended may hand its id to the next one.
        let first = Confined()
        let second = Confined()
        let (one, _) = await first.thread()
        let (two, _) = await second.thread()
        #expect(pthread_equal(one, two) == 0)
    }
}
