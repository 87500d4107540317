// A watchdog for tests that could hang: a hang becomes a failure with a message, not a
// test run that never ends.

import Foundation
import Synchronization

/// Stops the test process with a message when a long-running check stops making progress.
///
/// Call ``progress()`` at each step; if `limit` passes between two steps (or between the
/// start and the first step), the process prints `name` and the last step reached and
/// exits with status 70. A deadlock cannot be recovered from inside the process, so
/// ending it is the only honest report.
public final class Watchdog: Sendable {
    private let steps = Atomic(0)
    private let finished = Atomic(false)

    /// Starts watching.
    public init(_ name: String, limit: Duration, detail: @escaping @Sendable () -> String = { "" }) {
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) * 1e-18
        let thread = Thread { [self] in
            var seen = -1
            while !finished.load(ordering: .acquiring) {
                let now = steps.load(ordering: .relaxed)
                if now == seen {
                    let message = "watchdog: \(name) made no progress for \(limit) after step \(now) \(detail())\n"
                    FileHandle.standardError.write(Data(message.utf8))
                    exit(70)
                }
                seen = now
                Thread.sleep(forTimeInterval: seconds)
            }
        }
        thread.start()
    }

    /// Records a step.
    public func progress() {
        steps.add(1, ordering: .relaxed)
    }

    /// Stops watching.
    public func stop() {
        finished.store(true, ordering: .releasing)
    }
}
