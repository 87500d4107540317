// SQLite's busy handler (kv_write_queue.h), called as SQLite calls it: a read's deadline is
// set by the handler's first call, from the timeout, and still ends the wait.

import CKeyValueWriteQueue
import Foundation
import Testing

@Suite("kvq_busy_handler: one deadline, set at the first wait when the operation has none yet")
struct BusyHandlerTests {
    /// Calls the handler as SQLite does, until it gives up; returns how long that took and
    /// the state it left.
    static func waitUntilGivenUp(_ state: inout kvq_deadline) -> Duration {
        let start = ContinuousClock.now
        var count: Int32 = 0
        // SAFETY: `state` is a live kvq_deadline for the whole call, as SQLite's context is.
        while unsafe kvq_busy_handler(&state, count) != 0 {
            count += 1
        }
        return start.duration(to: .now)
    }

    @Test("a timeout with no deadline yet: the first call sets it, later waits share it")
    func lazyDeadline() {
        let before = kvq_now()
        var state = kvq_deadline(deadline: 0, timeout: 50_000_000, seed: 1, gave_up: 0)
        let waited = Self.waitUntilGivenUp(&state)
        #expect(state.timeout == -1)
        #expect(state.deadline >= before + 50_000_000)
        #expect(state.gave_up == 1)
        #expect(waited >= .milliseconds(50) && waited < .milliseconds(1_000), "waited \(waited)")
        // A second wait of the same operation ends at once: the deadline has passed.
        #expect(Self.waitUntilGivenUp(&state) < .milliseconds(50))
    }

    @Test("a zero timeout gives up at the first call; an endless one never overflows")
    func edges() {
        var none = kvq_deadline(deadline: 0, timeout: 0, seed: 1, gave_up: 0)
        // SAFETY: `none` is a live kvq_deadline for the call.
        #expect(unsafe kvq_busy_handler(&none, 0) == 0)
        #expect(none.gave_up == 1)
        var endless = kvq_deadline(deadline: 0, timeout: .max, seed: 1, gave_up: 0)
        // SAFETY: as above.
        #expect(unsafe kvq_busy_handler(&endless, 0) == 1)
        #expect(endless.deadline == .max && endless.timeout == -1 && endless.gave_up == 0)
    }

    @Test("a deadline already set (the writer's) is kept")
    func eagerDeadline() {
        var state = kvq_deadline(deadline: kvq_now() + 30_000_000, timeout: -1, seed: 1, gave_up: 0)
        let deadline = state.deadline
        let waited = Self.waitUntilGivenUp(&state)
        #expect(state.deadline == deadline)
        #expect(waited >= .milliseconds(25) && waited < .milliseconds(1_000), "waited \(waited)")
    }
}
