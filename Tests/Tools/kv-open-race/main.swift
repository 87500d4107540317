// A child process of the concurrent-first-open test: for each round, at the same moment as
// the other children, THREADS threads each open DIRECTORY/round-N.db (a new file in the
// first open of the round), write one key and close. Prints "opens N failures F" and each
// failure.
//
// Usage: kv-open-race DIRECTORY ROUNDS THREADS START-UNIX-MS INTERVAL-MS

import Foundation
import KeyValueStore
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count == 6, let rounds = Int(arguments[2]), (1...1000).contains(rounds),
    let threads = Int(arguments[3]), (1...64).contains(threads), let start = Double(arguments[4]),
    let interval = Double(arguments[5]), interval > 0
else {
    let usage = "usage: kv-open-race DIRECTORY ROUNDS(1-1000) THREADS(1-64) START-UNIX-MS INTERVAL-MS\n"
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
let directory = arguments[1]
let failures = Mutex<[String]>([])
let opens = Atomic(0)
let process = ProcessInfo.processInfo.processIdentifier

for round in 0..<rounds {
    let moment = Date(timeIntervalSince1970: (start + Double(round) * interval) / 1000)
    Thread.sleep(until: moment)
    let group = DispatchGroup()
    for thread in 0..<threads {
        DispatchQueue.global().async(group: group) {
            do {
                let database = try Database(path: "\(directory)/round-\(round).db")
                opens.add(1, ordering: .relaxed)
                try database.set("p\(process)-t\(thread)", "x")
                try database.close()
            } catch {
                failures.withLock { $0.append("round \(round), thread \(thread): \(error)") }
            }
        }
    }
    group.wait()
}
let failed = failures.withLock { $0 }
print("opens \(opens.load(ordering: .relaxed)) failures \(failed.count)")
for failure in failed { print(failure) }
exit(failed.isEmpty ? 0 : 1)
