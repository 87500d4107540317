import SafeFFI
import Testing

@Suite("Serialized state")
struct SerializedTests {
    @Test("8 tasks × 10,000 read-modify-writes give the exact total")
    func exactTotal() async {
        let counter = Serialized(0)
        await withTaskGroup { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<10_000 {
                        counter.withLock { value in
                            let read = value
                            value = read + 1
                        }
                    }
                }
            }
        }
        #expect(counter.withLock { $0 } == 80_000)
    }

    @Test("errors thrown inside release the lock")
    func errorsReleaseTheLock() {
        struct Refused: Error, Equatable {}
        let state = Serialized([1, 2])
        #expect(throws: Refused()) {
            try state.withLock { (values) throws(Refused) in
                values.append(3)
                throw Refused()
            }
        }
        // The lock is free again, and the change made before the throw stays.
        #expect(state.withLock { $0 } == [1, 2, 3])
    }
}

@Suite("Serialized re-entry")
struct SerializedReentryTests {
    @Test("re-entry on the same thread is detected, not a deadlock")
    func reentryDetected() {
        let state = Serialized(1)
        let inner = state.withLock { _ in state.withLockUnlessReentrant { $0 } }
        #expect(inner == nil)
        #expect(state.withLockUnlessReentrant { $0 } == 1)
    }

    @Test("re-entry through withLock stops the program with a message")
    func reentryTraps() async {
        await #expect(processExitsWith: .failure) {
            let state = Serialized(0)
            state.withLock { _ in state.withLock { _ in } }
        }
    }
}
