// What clients of the store rely on: the change stream's order, a database dropped
// without close(), the file left by close(), and misuse inside a transaction.

import Foundation
import KeyValueStore
import SafeFFI
import Testing

/// What a change stream says the database holds: each change replayed over a set of keys.
struct ReplayedKeys {
    private(set) var keys: Set<String> = []
    /// Changes that cannot follow the key's previous state (an update of a missing key, an
    /// insert of a present one, a delete of a missing one).
    private(set) var impossible: [Change] = []

    mutating func apply(_ change: Change) {
        let present = keys.contains(change.key)
        switch change.kind {
        case .inserted:
            if present { impossible.append(change) }
            keys.insert(change.key)
        case .updated:
            if !present { impossible.append(change) }
        case .deleted:
            if !present { impossible.append(change) }
            keys.remove(change.key)
        }
    }
}

/// Reads a stream until it ends, or until the key `until` changes.
func collect(_ stream: AsyncStream<Change>, until key: String? = nil) async -> [Change] {
    var changes: [Change] = []
    for await change in stream {
        if change.key == key { break }
        changes.append(change)
    }
    return changes
}

// The limit catches a hang, not slowness: under ThreadSanitizer on two shared cores, beside
// the annotator's tests running Clang, "2,000 rounds" is slow (docs/BENCHMARKS.md).
@Suite("Database: change stream order and scope", .timeLimit(.minutes(3)))
struct ChangeOrderTests {
    // Changes are published before the writer lock is released: published after it, two
    // writers could publish in the other order than they committed, and a replay would
    // disagree with the database.
    @Test("8 writers on 2 keys: the stream is in commit order and its replay is the database")
    func commitOrder() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("order.db"))
        let stream = try database.changes(bufferingPolicy: .unbounded)
        let reader = Task { await collect(stream, until: "end") }
        try await withThrowingTaskGroup { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<250 {
                        let key = "k\(index % 2)"
                        if (index + writer) % 3 == 0 {
                            try database.delete(key)
                        } else {
                            try database.set(key, "\(writer)-\(index)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        try database.set("end", "")
        var replay = ReplayedKeys()
        for change in await reader.value { replay.apply(change) }
        #expect(replay.impossible == [])
        #expect(replay.keys == Set(try database.keys(withPrefix: "k")))
    }

    @Test("2,000 rounds of a delete racing a set: after each round the replay is the database")
    func racingRounds() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("race.db"))
        let stream = try database.changes(bufferingPolicy: .unbounded)
        let reader = Task { await collect(stream) }
        var expected: [Set<String>] = []
        for round in 0..<2_000 {
            let key = "r\(round % 4)"
            try await withThrowingTaskGroup { group in
                group.addTask { _ = try database.delete(key) }
                group.addTask { try database.set(key, "\(round)") }
                try await group.waitForAll()
            }
            expected.append(Set(try database.keys(withPrefix: "r")))
            // A marker in the stream closes the round.
            try database.set("marker", "\(round)")
        }
        try database.close()
        var replay = ReplayedKeys()
        var atMarkers: [Set<String>] = []
        for change in await reader.value {
            if change.key == "marker" {
                atMarkers.append(replay.keys)
            } else {
                replay.apply(change)
            }
        }
        #expect(replay.impossible == [])
        #expect(atMarkers.count == 2_000)
        let disagreeing = zip(atMarkers, expected).filter { $0 != $1 }.count
        #expect(disagreeing == 0)
    }

    @Test("writes through another Database on the same file are not in this one's stream")
    func scope() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("scope.db")
        let observed = try Database(path: path)
        let other = try Database(path: path)
        let stream = try observed.changes(bufferingPolicy: .unbounded)
        try other.set("elsewhere", "1")
        try observed.set("here", "1")
        try observed.close()
        #expect(await collect(stream) == [Change(kind: .inserted, key: "here")])
        #expect(try other.get("here") == "1")
        try other.close()
    }
}

/// The number of file descriptors this process has open on files inside `directory`
/// (other tests run at the same time and open their own).
func openDescriptorCount(in directory: TemporaryDirectory) throws -> Int {
    let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
    return descriptors.filter { descriptor in
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")
        return target?.hasPrefix(directory.url.path + "/") ?? false
    }.count
}

@Suite("Database: closing", .timeLimit(.minutes(1)))
struct ClosingTests {
    // A stream does not keep its connection alive: were it to, a dropped database would
    // never finish its streams, and every dropped database would keep its descriptors open.
    @Test("dropping the last reference closes the database and finishes its streams")
    func dropWithoutClose() async throws {
        let directory = try TemporaryDirectory()
        var streams: [AsyncStream<Change>] = []
        for index in 0..<50 {
            let database = try Database(path: directory.path("drop-\(index).db"))
            try database.set("k", "\(index)")
            streams.append(try database.changes(bufferingPolicy: .unbounded))
            #expect(try openDescriptorCount(in: directory) > 0)
        }
        #expect(try openDescriptorCount(in: directory) == 0)
        for stream in streams {
            #expect(await collect(stream) == [])
        }
        let reopened = try Database(path: directory.path("drop-49.db"))
        #expect(try reopened.get("k") == "49")
    }

    // Read-only connections cannot checkpoint: were they to close last, the .db file alone
    // would hold none of the keys and -wal and -shm would stay behind.
    @Test("after close the .db file alone holds every key, and -wal and -shm are gone")
    func closeLeavesOneFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("alone.db")
        let database = try Database(path: path)
        for index in 0..<50 { try database.set("key-\(index)", "value-\(index)") }
        for index in 0..<50 { #expect(try database.get("key-\(index)") == "value-\(index)") }
        try database.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
        let copy = directory.path("copy.db")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let copied = try Database(path: copy)
        #expect(try copied.count() == 50)
        #expect(try copied.get("key-49") == "value-49")
    }
}

@Suite("Database: misuse inside a transaction")
struct TransactionMisuseTests {
    static let misuse = "the database was used from inside its own transaction; use the transaction's methods"

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, file
        var testDescription: String { rawValue }
    }

    static func open(_ kind: Kind, in directory: TemporaryDirectory) throws -> Database {
        kind == .memory ? try Database.inMemory() : try Database(path: directory.path("tx.db"))
    }

    // On a file as in memory, get and count inside a transaction are the misuse the
    // documentation promises, not a read of the committed state from a reader connection.
    @Test("every Database method called from inside its own transaction is refused", arguments: Kind.allCases)
    func refusedInside(kind: Kind) throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(kind, in: directory)
        try database.set("k", "committed")
        let calls: [(DatabaseError.Operation, () throws -> Void)] = [
            (.get, { _ = try database.get("k") }),
            (.get, { _ = try database.bytes(forKey: "k") }),
            (.count, { _ = try database.count() }),
            (.scan, { _ = try database.keys(withPrefix: "") }),
            (.set, { try database.set("k", "inner") }),
            (.delete, { try database.delete("k") }),
            (.transaction, { try database.transaction { _ in } }),
            (.changes, { _ = try database.changes(bufferingPolicy: .unbounded) }),
            (.integrityCheck, { _ = try database.checkIntegrity() }),
            (.close, { try database.close() }),
        ]
        for (operation, call) in calls {
            try database.transaction { transaction in
                try transaction.set("k", "uncommitted")
                #expect(
                    throws: DatabaseError(code: .misuse, message: Self.misuse, operation: operation), "\(operation)"
                ) { try call() }
            }
        }
        // Nothing was half-done: the database is open, writes and reads work, and every
        // transaction above committed.
        #expect(try database.get("k") == "uncommitted")
        try database.set("after", "1")
        #expect(try database.count() == 2)
        try database.close()
    }

    @Test("another thread reads the committed state during a transaction (file) or waits for it (memory)")
    func otherThreads() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("iso.db"))
        try database.set("k", "old")
        try database.transaction { transaction in
            try transaction.set("k", "new")
            let seen = try onAnotherThread { try database.get("k") }
            #expect(seen == "old")
        }
        #expect(try database.get("k") == "new")
    }
}

/// Runs `body` on a new thread and waits for it.
func onAnotherThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) throws -> R {
    let done = DispatchSemaphore(value: 0)
    let outcome = Serialized<Result<R, any Error>?>(nil)
    let thread = Thread {
        let result = Result { try body() }
        outcome.withLock { $0 = result }
        done.signal()
    }
    thread.start()
    done.wait()
    guard let result = outcome.withLock({ $0 }) else { preconditionFailure("the thread ended without a result") }
    return try result.get()
}

@Suite("Database: integrity of a damaged file")
struct IntegrityTests {
    /// A closed file database of 2,000 keys, each with a 100-byte value.
    static func makeFile(_ path: String) throws {
        let database = try Database(path: path)
        try database.transaction { transaction in
            for index in 0..<2_000 { try transaction.set("key-\(index)", String(repeating: "v", count: 100)) }
        }
        try database.close()
    }

    /// Overwrites `count` bytes at `offset` of page `page` (4,096-byte pages, from 1).
    static func damage(_ path: String, page: Int, offset: Int, count: Int) throws {
        let handle = try FileHandle(forUpdating: URL(filePath: path))
        try handle.seek(toOffset: UInt64((page - 1) * 4_096 + offset))
        try handle.write(contentsOf: Data(repeating: 0xFF, count: count))
        try handle.close()
    }

    // A corrupt file is a finding: checkIntegrity() says what is wrong rather than throwing
    // SQLITE_CORRUPT.
    @Test("a damaged page is reported as problems, not thrown")
    func damagedCells() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("damaged.db")
        try Self.makeFile(path)
        try Self.damage(path, page: 40, offset: 100, count: 200)
        #expect(
            try Database(path: path).checkIntegrity() == [
                "*** in database main ***\nOn tree page 40 cell 33: invalid page number 1987475062\n"
                    + "On tree page 40 cell 32: Rowid 1116 out of order\nMultiple uses for byte 301 of page 40",
                "database disk image is malformed",
            ])
    }

    @Test("damage that stops the check part way is reported with SQLite's message")
    func damagedPageHeader() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("header.db")
        try Self.makeFile(path)
        try Self.damage(path, page: 20, offset: 0, count: 200)
        let database = try Database(path: path)
        #expect(
            try database.checkIntegrity() == [
                "*** in database main ***\nPage 20: btreeInitPage() returns error code 11",
                "database disk image is malformed",
            ])
        // Reading the damaged table is still an error: the check reports, it does not repair.
        // (Keys alone may come from the key index, which the damage missed; values do not.)
        do {
            _ = try database.entries(withPrefix: "")
            Issue.record("a scan of the damaged table succeeded")
        } catch {
            #expect(error.code.primary == .corrupt)
            #expect(error.operation == .scan)
        }
    }
}
