import SafeFFI
import Testing

/// A stream's end hands its unregistration to a thread of SafeFFI's own; these tests drive
/// that queue directly, each with a queue of its own, one of them given a thread maker that
/// fails as `pthread_create` does when a process has no threads left.
@Suite("Unregistrations handed to a thread of their own")
struct PendingUnregistrationsTests {
    /// Waits, without holding a thread of the cooperative pool (the fallback task needs one),
    /// until `ran` holds `count` values, for at most ten seconds.
    static func waitFor(_ count: Int, in ran: Serialized<[Int]>) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ran.withLock({ $0.count }) < count {
            try #require(ContinuousClock.now < deadline, "the unregistrations did not run")
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    @Test("each unregistration handed over runs once, in order, on a thread of the queue's own")
    func inOrder() async throws {
        let attempts = Serialized(0)
        let pending = PendingUnregistrations { body in
            attempts.withLock { $0 += 1 }
            return PendingUnregistrations.defaultThreadMaker(body)
        }
        let ran = Serialized<[Int]>([])
        for index in 0..<5 {
            pending.end { ran.withLock { $0.append(index) } }
        }
        try await Self.waitFor(5, in: ran)
        pending.waitUntilEmpty()
        #expect(ran.withLock { $0 } == [0, 1, 2, 3, 4])
        // One thread, made for the first hand-over, ended all five.
        #expect(attempts.withLock { $0 } == 1)
    }

    @Test("when no thread can be made, a task ends the registrations, and the next one gets a thread")
    func threadCreationFails() async throws {
        let attempts = Serialized(0)
        let pending = PendingUnregistrations { body in
            let attempt = attempts.withLock { (count) -> Int in
                count += 1
                return count
            }
            // The first attempt fails as pthread_create does with EAGAIN (11).
            guard attempt > 1 else { return LibCError(function: "pthread_create", code: 11) }
            return PendingUnregistrations.defaultThreadMaker(body)
        }
        let ran = Serialized<[Int]>([])
        pending.end { ran.withLock { $0.append(1) } }
        try await Self.waitFor(1, in: ran)
        pending.waitUntilEmpty()
        // No thread was made, yet the registration ended: the fallback task ended it.
        #expect(ran.withLock { $0 } == [1])
        #expect(attempts.withLock { $0 } == 1)

        // The failure is not remembered: the next hand-over makes the worker thread.
        pending.end { ran.withLock { $0.append(2) } }
        try await Self.waitFor(2, in: ran)
        pending.waitUntilEmpty()
        #expect(ran.withLock { $0 } == [1, 2])
        #expect(attempts.withLock { $0 } == 2)
    }
}
