// The busy timeout bounds the whole wait of an operation, and no writer starves: in this
// process, between Database objects, and between processes.

import Foundation
import KeyValueStore
import TestSupport
import Testing

@Suite("Database: busy timeout and fair writes", .serialized, .timeLimit(.minutes(2)))
struct BusyTests {
    /// Options with a short busy timeout.
    static func options(timeout: Duration) -> Database.Options {
        var options = Database.Options()
        options.busyTimeout = timeout
        return options
    }

    /// Holds a write transaction of `database` open for `duration` on another thread, and
    /// returns once it is open.
    static func holdTransaction(_ database: Database, for duration: Duration) -> Thread {
        let opened = DispatchSemaphore(value: 0)
        let thread = Thread {
            try? database.transaction { transaction in
                try transaction.set("held", "1")
                opened.signal()
                Thread.sleep(forTimeInterval: Double(duration.components.seconds))
            }
        }
        thread.start()
        opened.wait()
        return thread
    }

    /// Expects `database.set` to fail busy with `message`, after waiting at least `minimum`
    /// and well under the holder's transaction (`maximum`): the wait ended at the deadline.
    static func expectBusySet(
        _ database: Database, message: String, waiting minimum: Duration, under maximum: Duration,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let start = ContinuousClock.now
        #expect(
            throws: DatabaseError(code: .busy, message: message, operation: .set), sourceLocation: sourceLocation
        ) { try database.set("k", "v") }
        let waited = start.duration(to: .now)
        #expect(waited >= minimum, "waited \(waited)", sourceLocation: sourceLocation)
        #expect(waited < maximum, "waited \(waited)", sourceLocation: sourceLocation)
    }

    // One deadline covers the wait for the in-process lock and SQLite's busy wait: were the
    // first unbounded and the busy timeout to start after it, a set could fail BUSY after
    // twice its timeout.
    @Test("a write waiting for another thread's transaction gives up at the busy timeout")
    func inProcessTimeout() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("busy.db"), options: Self.options(timeout: .milliseconds(200)))
        _ = Self.holdTransaction(database, for: .seconds(2))
        Self.expectBusySet(
            database,
            message:
                "the database is busy: other threads of this process kept its write connection for the whole busy timeout (0.2 seconds), writing or waiting for the database's lock; retry later or raise Options.busyTimeout",
            waiting: .milliseconds(200), under: .milliseconds(1_500))
        try database.close()
        #expect(try Database(path: directory.path("busy.db")).get("held") == "1")
    }

    @Test("a negative busy timeout never waits, and an uncontended write still succeeds")
    func negativeTimeout() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("busy.db"), options: Self.options(timeout: .seconds(-1)))
        try database.set("free", "1")
        _ = Self.holdTransaction(database, for: .seconds(1))
        Self.expectBusySet(
            database,
            message:
                "the database is busy: other threads of this process kept its write connection for the whole busy timeout (0.0 seconds), writing or waiting for the database's lock; retry later or raise Options.busyTimeout",
            waiting: .zero, under: .milliseconds(900))
        try database.close()
    }

    @Test("a write waiting for another Database's transaction on the same file gives up at the busy timeout")
    func otherConnectionTimeout() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("busy.db")
        let holder = try Database(path: path)
        let waiter = try Database(path: path, options: Self.options(timeout: .milliseconds(300)))
        _ = Self.holdTransaction(holder, for: .seconds(2))
        Self.expectBusySet(
            waiter,
            message:
                "the database is busy: other processes kept its write turn for the whole busy timeout (0.3 seconds); retry later or raise Options.busyTimeout",
            waiting: .milliseconds(300), under: .milliseconds(1_500))
    }

    // Writers take turns across processes: SQLite's busy handler polls with a backoff up to
    // 100 ms, and a process handing its connection between threads would re-take the lock
    // within microseconds, starving the other processes.
    @Test("3 processes × 4 threads writing one file for 4 s: every process and thread gets its share")
    func fairness() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("fair.db")
        try Database(path: path).close()
        let writer = PackagePaths.build.appending(path: "kv-contention-writer")
        let processes = try (0..<3).map { _ in
            let process = Process()
            process.executableURL = writer
            process.arguments = [path, "4", "4", "5000"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            return (process, output)
        }
        var perProcess: [Int] = []
        var perThread: [Int] = []
        for (process, output) in processes {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
            // "writes 12368 12287 12338 12340 failures 0 slowest-ms 14"
            let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
            try #require(words.count >= 9 && words[0] == "writes" && words[5] == "failures", "\(text)")
            let threads = words[1...4].compactMap { Int($0) }
            perThread += threads
            perProcess.append(threads.reduce(0, +))
            #expect(words[6] == "0", "no write may fail: \(text)")
            let slowest = try #require(Int(words[8]))
            // With the queue no thread loses the race for SQLite's lock again and again while
            // its busy handler backs off, so the slowest write stays far below this bound.
            #expect(slowest <= 500, "a write waited \(slowest) ms")
        }
        print("writes per process \(perProcess), per thread \(perThread)")
        let busiestProcess = try #require(perProcess.max())
        let busiestThread = try #require(perThread.max())
        #expect(busiestProcess > 0)
        #expect(perProcess.allSatisfy { Double($0) >= 0.5 * Double(busiestProcess) }, "per process: \(perProcess)")
        #expect(perThread.allSatisfy { Double($0) >= 0.25 * Double(busiestThread) }, "per thread: \(perThread)")
    }
}
