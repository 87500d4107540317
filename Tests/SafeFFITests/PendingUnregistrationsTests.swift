import SafeFFI
import Testing

/// A stream's end hands its unregistration to a thread of SafeFFI's own; these tests drive
/// that queue directly, with a queue of their own, and through the package's libc seam make
/// the thread impossible to create.
@Suite("Unregistrations handed to a thread of their own", .serialized)
struct PendingUnregistrationsTests {
    @Test("each unregistration handed over runs once, in order, on a thread of the queue's own")
    func inOrder() {
        let pending = PendingUnregistrations()
        let ran = Serialized<[Int]>([])
        for index in 0..<5 {
            pending.end { ran.withLock { $0.append(index) } }
        }
        pending.waitUntilEmpty()
        #expect(ran.withLock { $0 } == [0, 1, 2, 3, 4])
        #expect(pending.fallbacks == 0)
    }

    @Test("when pthread_create fails, a task ends the registrations, and the next one gets a thread")
    func threadCreationFails() {
        let pending = PendingUnregistrations()
        let ran = Serialized<[Int]>([])
        LibCFaults.failingThreadCreations.fail(next: 1)
        defer { LibCFaults.failingThreadCreations.fail(next: 0) }
        pending.end { ran.withLock { $0.append(1) } }
        pending.waitUntilEmpty()
        #expect(ran.withLock { $0 } == [1])
        #expect(pending.fallbacks == 1)
        #expect(LibCFaults.failingThreadCreations.pending == 0)

        // The failure is not remembered: the next hand-over starts the worker thread.
        pending.end { ran.withLock { $0.append(2) } }
        pending.waitUntilEmpty()
        #expect(ran.withLock { $0 } == [1, 2])
        #expect(pending.fallbacks == 1)
    }
}
