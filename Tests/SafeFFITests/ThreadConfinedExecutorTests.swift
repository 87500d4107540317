import Foundation
import SafeFFI
import Testing

/// The kernel's id of the calling thread, from /proc/thread-self ("PID/task/TID").
///
/// Not `pthread_self()`: glibc declares it `const`, so an optimised build may reuse one
/// call's value across an `await`, on another thread.
func kernelThreadID() -> Int {
    let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
    return Int(link.split(separator: "/").last ?? "") ?? -1
}

/// An actor whose code all runs on one thread of its own.
actor Confined {
    nonisolated let executor = ThreadConfinedExecutor()
    // SAFETY: the actor keeps its executor alive (a stored constant).
    nonisolated var unownedExecutor: UnownedSerialExecutor { unsafe executor.asUnownedSerialExecutor() }
    private var log: [Int] = []

    /// The thread this runs on, and whether the executor agrees it is its own.
    func thread() -> (id: Int, isExecutorThread: Bool) { (kernelThreadID(), executor.isCurrentThread) }

    func record(_ value: Int) -> Int {
        log.append(value)
        return kernelThreadID()
    }

    func recorded() -> [Int] { log }
}

@Suite("ThreadConfinedExecutor: one OS thread for an actor")
struct ThreadConfinedExecutorTests {
    @Test("every call runs on the same thread, which is not the caller's")
    func oneThread() async {
        let confined = Confined()
        // The caller's thread, read before the first await: after one, nonisolated code may
        // resume on any thread, the executor's included.
        let caller = kernelThreadID()
        #expect(!confined.executor.isCurrentThread)
        let first = await confined.thread()
        #expect(first.isExecutorThread)
        #expect(first.id > 0)
        #expect(first.id != caller)
        let threads = await withTaskGroup(of: Int.self) { group in
            for value in 0..<200 { group.addTask { await confined.record(value) } }
            var threads: [Int] = []
            for await thread in group { threads.append(thread) }
            return threads
        }
        #expect(threads.count == 200)
        #expect(Set(threads) == [first.id])
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
        // Both alive to the end (an optimised build ends an object after its last use): a
        // thread that has ended may hand its id to the next one.
        let first = Confined()
        let second = Confined()
        let one = await first.thread()
        let two = await second.thread()
        #expect(one.isExecutorThread && two.isExecutorThread)
        #expect(one.id != two.id)
        withExtendedLifetime((first, second)) {}
    }
}
