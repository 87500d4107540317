// A child process for the write-fairness test: THREADS threads write to one database for
// SECONDS seconds (half of the writes as transactions), then it reports the writes of each
// thread, the failures and the slowest successful write.
//
// Usage: kv-contention-writer PATH THREADS SECONDS BUSY-TIMEOUT-MS

import Foundation
import KeyValueStore
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count == 5, let threads = Int(arguments[2]), (1...64).contains(threads),
    let seconds = Double(arguments[3]), seconds > 0, let timeout = Int(arguments[4]), timeout > 0
else {
    let usage = "usage: kv-contention-writer PATH THREADS(1-64) SECONDS BUSY-TIMEOUT-MS\n"
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}

/// What one thread did.
final class Tally: Sendable {
    let writes = Atomic(0)
    let failures = Atomic(0)
    let slowestNanoseconds = Atomic(0)
    let firstFailure = Mutex<String?>(nil)
}

var options = Database.Options()
options.busyTimeout = .milliseconds(timeout)
let database: Database
do {
    database = try Database(path: arguments[1], options: options)
} catch {
    print("error: \(error)")
    exit(1)
}
let stop = Atomic(false)
let tallies = (0..<threads).map { _ in Tally() }
let group = DispatchGroup()
for (thread, tally) in tallies.enumerated() {
    group.enter()
    Thread {
        var generator = SystemRandomNumberGenerator()
        let value = String(repeating: "v", count: 100)
        while !stop.load(ordering: .relaxed) {
            let key = "key\(Int.random(in: 0..<300, using: &generator))"
            let start = ContinuousClock.now
            do {
                if Bool.random(using: &generator) {
                    try database.transaction { try $0.set(key, value) }
                } else {
                    try database.set(key, value)
                }
                guard !stop.load(ordering: .relaxed) else { break }
                let elapsed = start.duration(to: .now).components
                let nanoseconds = Int(elapsed.seconds) * 1_000_000_000 + Int(elapsed.attoseconds / 1_000_000_000)
                tally.writes.add(1, ordering: .relaxed)
                tally.slowestNanoseconds.max(nanoseconds, ordering: .relaxed)
            } catch {
                tally.failures.add(1, ordering: .relaxed)
                tally.firstFailure.withLock { $0 = $0 ?? "thread \(thread): \(error)" }
            }
        }
        group.leave()
    }.start()
}
Thread.sleep(forTimeInterval: seconds)
stop.store(true, ordering: .relaxed)
group.wait()
let writes = tallies.map { String($0.writes.load(ordering: .relaxed)) }.joined(separator: " ")
let failures = tallies.reduce(0) { $0 + $1.failures.load(ordering: .relaxed) }
let slowest = tallies.map { $0.slowestNanoseconds.load(ordering: .relaxed) }.max() ?? 0
print("writes \(writes) failures \(failures) slowest-ms \(slowest / 1_000_000)")
for tally in tallies {
    if let failure = tally.firstFailure.withLock({ $0 }) { print("failure: \(failure)") }
}
