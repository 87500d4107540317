import Foundation
import Testing

@testable import KeyValueStore

@Suite("Database: reading and writing")
struct DatabaseTests {
    @Test("set, get, replace, delete and count, in memory and in a file", arguments: [false, true])
    func roundTrip(inFile: Bool) throws {
        let directory = try TemporaryDirectory()
        let database = inFile ? try Database(path: directory.path("store.db")) : try Database.inMemory()
        #expect(try database.get("name") == nil)
        try database.set("name", "Alice")
        #expect(try database.get("name") == "Alice")
        try database.set("name", "Bob")
        #expect(try database.get("name") == "Bob")
        try database.set("other", "x")
        #expect(try database.count() == 2)
        #expect(try database.delete("name"))
        #expect(try !database.delete("name"))
        #expect(try database.get("name") == nil)
        #expect(try database.count() == 1)
        try database.close()
    }

    @Test("a file database is WAL and keeps its data across reopening")
    func persistence() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("persist.db")
        do {
            let database = try Database(path: path)
            #expect(try database.journalMode() == "wal")
            try database.set("kept", "yes")
            try database.close()
        }
        let reopened = try Database(path: path)
        #expect(try reopened.get("kept") == "yes")
        #expect(try reopened.checkIntegrity() == [])
    }

    @Test("keys and values with NUL bytes round-trip exactly")
    func nulBytes() throws {
        let database = try Database.inMemory()
        try database.set("a\0b", "x\0y\0")
        try database.set("a", "plain")
        #expect(try database.get("a\0b") == "x\0y\0")
        #expect(try database.get("a") == "plain")
        let bytes: [UInt8] = [0, 1, 0, 255, 0]
        try database.set("bin\0", bytes: bytes)
        #expect(try database.bytes(forKey: "bin\0") == bytes)
        try database.set("empty", "")
        #expect(try database.get("empty") == "")
        try database.set("emptyBytes", bytes: [])
        #expect(try database.bytes(forKey: "emptyBytes") == [])
    }

    @Test("a value that is not UTF-8 is refused as text, and readable as bytes")
    func notText() throws {
        let database = try Database.inMemory()
        try database.set("blob", bytes: [0x61, 0x62, 0xFF])
        #expect(
            throws: DatabaseError(
                code: .mismatch,
                message: "the value of key 'blob' is not UTF-8 text (invalid byte at offset 2); read it as bytes",
                operation: .get)
        ) { try database.get("blob") }
        #expect(try database.bytes(forKey: "blob") == [0x61, 0x62, 0xFF])
    }

    @Test("a value over the length limit is refused whole, never truncated")
    func tooBig() throws {
        var options = Database.Options()
        options.maximumValueSize = 1_000
        let database = try Database.inMemory(options: options)
        try database.set("k", bytes: Array(repeating: 1, count: 1_000))
        #expect(
            throws: DatabaseError(
                code: .tooBig, message: "a value of 1001 bytes is larger than the database's limit of 1000 bytes",
                operation: .set)
        ) { try database.set("k", bytes: Array(repeating: 2, count: 1_001)) }
        #expect(
            throws: DatabaseError(
                code: .tooBig, message: "a value of 1001 bytes is larger than the database's limit of 1000 bytes",
                operation: .set)
        ) { try database.set("k", String(repeating: "é", count: 500) + "x") }
        #expect(try database.bytes(forKey: "k") == Array(repeating: 1, count: 1_000))
        // The limit is on values: a longer key is fine.
        let longKey = String(repeating: "k", count: 5_000)
        try database.set(longKey, "v")
        #expect(try database.get(longKey) == "v")
    }

    // The value limit is not SQLite's limit on a whole row, which also covers SQLite's own
    // schema row: as a row limit, a limit of 173 bytes or less would make open fail.
    @Test("small value limits open, in memory and in a file", arguments: [0, 1, 100, 173, 174])
    func smallValueLimits(limit: Int) throws {
        let directory = try TemporaryDirectory()
        var options = Database.Options()
        options.maximumValueSize = limit
        for database in [
            try Database.inMemory(options: options), try Database(path: directory.path("small.db"), options: options),
        ] {
            try database.set("key", bytes: Array(repeating: 7, count: limit))
            #expect(try database.bytes(forKey: "key") == Array(repeating: 7, count: limit))
            #expect(
                throws: DatabaseError(
                    code: .tooBig,
                    message: "a value of \(limit + 1) bytes is larger than the database's limit of \(limit) bytes",
                    operation: .set)
            ) { try database.set("key", bytes: Array(repeating: 8, count: limit + 1)) }
            try database.close()
        }
    }

    @Test(
        "a value limit below 0 or above SQLite's row limit is refused at open", arguments: [-1, Int.min, 1_000_000_001])
    func badValueLimit(limit: Int) {
        var options = Database.Options()
        options.maximumValueSize = limit
        #expect(
            throws: DatabaseError(
                code: .misuse,
                message:
                    "Options.maximumValueSize must be between 0 and SQLite's row limit of 1000000000 bytes, got \(limit)",
                operation: .open)
        ) { _ = try Database.inMemory(options: options) }
    }

    @Test("a NUL inside the path is a path error, not an invalid key (seed defect 6)")
    func nulInPath() {
        #expect(
            throws: DatabaseError(
                code: .cantOpen, message: "the path contains a NUL byte at offset 4", operation: .open)
        ) { _ = try Database(path: "/tmp\0/x.db") }
    }

    @Test("\":memory:\" is one in-memory database for every read; an empty path is refused")
    func specialPaths() throws {
        let memory = try Database(path: ":memory:")
        try memory.set("k", "v")
        #expect(try memory.get("k") == "v")
        #expect(memory.path == nil)
        #expect(
            throws: DatabaseError(
                code: .cantOpen, message: "the path is empty (use Database.inMemory() for a private database)",
                operation: .open)
        ) { _ = try Database(path: "") }
    }

    @Test("a file that cannot be opened, or is not a database, is a clear error")
    func badFiles() throws {
        #expect(
            throws: DatabaseError(code: .cantOpen, message: "unable to open database file", operation: .open)
        ) { _ = try Database(path: "/nonexistent-directory/x.db") }
        let directory = try TemporaryDirectory()
        let garbage = directory.path("garbage.db")
        try Data(repeating: 0x42, count: 4_096).write(to: URL(filePath: garbage))
        #expect(
            throws: DatabaseError(
                code: .notADatabase, message: "file is not a database", operation: .open,
                sql: "PRAGMA application_id")
        ) { _ = try Database(path: garbage) }
        // Refused before anything was written to it.
        #expect(try Data(contentsOf: URL(filePath: garbage)) == Data(repeating: 0x42, count: 4_096))
    }

    @Test("prefix scans return matching keys in byte order")
    func prefixScans() throws {
        let database = try Database.inMemory()
        for key in ["b", "abc", "a", "ab", "a\0", "é", "abd"] {
            try database.set(key, "v-\(key)")
        }
        #expect(try database.keys(withPrefix: "ab") == ["ab", "abc", "abd"])
        #expect(try database.keys(withPrefix: "a") == ["a", "a\0", "ab", "abc", "abd"])
        #expect(try database.keys(withPrefix: "") == ["a", "a\0", "ab", "abc", "abd", "b", "é"])
        #expect(try database.keys(withPrefix: "z") == [])
        let entries = try database.entries(withPrefix: "é")
        #expect(entries.map(\.key) == ["é"] && entries.map(\.value) == [Array("v-é".utf8)])
        #expect(KVTable.successor(of: [0x61, 0xFF]) == [0x62])
        #expect(KVTable.successor(of: [0xFF, 0xFF]) == nil)
        #expect(KVTable.successor(of: []) == nil)
    }

    @Test("after close, every operation is a misuse error; closing again is harmless")
    func closed() throws {
        let database = try Database.inMemory()
        try database.close()
        try database.close()
        #expect(throws: DatabaseError(code: .misuse, message: "the database is closed", operation: .get)) {
            try database.get("k")
        }
        #expect(throws: DatabaseError(code: .misuse, message: "the database is closed", operation: .set)) {
            try database.set("k", "v")
        }
        #expect(throws: DatabaseError(code: .misuse, message: "the database is closed", operation: .changes)) {
            _ = try database.changes(bufferingPolicy: .unbounded)
        }
    }

    @Test("the error reads well")
    func errorDescription() {
        let error = DatabaseError(code: .busy, message: "database is locked", operation: .set)
        #expect(error.description == "set failed: database is locked (database is locked, code 5)")
        let inStatement = DatabaseError(
            code: .busy, message: "database is locked", operation: .transaction, sql: "BEGIN IMMEDIATE")
        #expect(
            inStatement.description
                == "transaction failed: database is locked (database is locked, code 5), while running `BEGIN IMMEDIATE`"
        )
        #expect(SQLiteResultCode(rawValue: 266).primary == .ioError)
    }
}

@Suite("Database: transactions")
struct TransactionTests {
    struct Abort: Error, Equatable {}

    @Test("a transaction commits all of its writes, and reads its own")
    func commits() throws {
        let database = try Database.inMemory()
        let seen = try database.transaction { transaction in
            try transaction.set("a", "1")
            try transaction.set("b", bytes: [2])
            #expect(try transaction.delete("missing") == false)
            return try transaction.get("a")
        }
        #expect(seen == "1")
        #expect(try database.get("a") == "1")
        #expect(try database.bytes(forKey: "b") == [2])
    }

    @Test("a throwing transaction rolls back and rethrows")
    func rollsBack() throws {
        let database = try Database.inMemory()
        try database.set("a", "before")
        #expect(throws: Abort()) {
            try database.transaction { transaction in
                try transaction.set("a", "during")
                try transaction.set("new", "x")
                #expect(try transaction.count() == 2)
                throw Abort()
            }
        }
        #expect(try database.get("a") == "before")
        #expect(try database.get("new") == nil)
    }

    @Test("using the database from inside its own transaction is a misuse error, not a deadlock")
    func reentry() throws {
        let database = try Database.inMemory()
        #expect(
            throws: DatabaseError(
                code: .misuse,
                message: "the database was used from inside its own transaction; use the transaction's methods",
                operation: .set)
        ) {
            try database.transaction { _ in try database.set("k", "v") }
        }
        #expect(try database.get("k") == nil)
    }
}

@Suite("Database: concurrency")
struct ConcurrencyTests {
    @Test("8 writers and 8 readers at once: every write lands, reads never fail")
    func concurrentReadersAndWriters() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("concurrent.db"))
        try await withThrowingTaskGroup { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<200 { try database.set("w\(writer)-\(index)", "\(writer * 1_000 + index)") }
                }
                group.addTask {
                    for index in 0..<200 {
                        let value = try database.get("w\(writer)-\(index)")
                        #expect(value == nil || value == "\(writer * 1_000 + index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try database.count() == 1_600)
        #expect(try database.get("w7-199") == "7199")
    }
}

@Suite("Database: change stream")
struct ChangeStreamTests {
    @Test("committed changes arrive in order; rolled-back ones never")
    func changes() async throws {
        let database = try Database.inMemory()
        let stream = try database.changes(bufferingPolicy: .unbounded)
        #expect(database.isObservingChanges)
        try database.set("k", "1")
        try database.set("k", "2")
        try? database.transaction { transaction in
            try transaction.set("ghost", "x")
            throw TransactionTests.Abort()
        }
        try database.transaction { transaction in
            try transaction.set("t", "x")
            try transaction.delete("k")
        }
        #expect(try database.delete("missing") == false)
        var received: [Change] = []
        for await change in stream {
            received.append(change)
            if received.count == 4 { break }
        }
        #expect(
            received == [
                Change(kind: .inserted, key: "k"), Change(kind: .updated, key: "k"),
                Change(kind: .inserted, key: "t"), Change(kind: .deleted, key: "k"),
            ])
    }

    @Test("dropping the last stream removes SQLite's update hook")
    func droppedStream() throws {
        let database = try Database.inMemory()
        do {
            let first = try database.changes(bufferingPolicy: .bufferingNewest(1))
            let second = try database.changes(bufferingPolicy: .bufferingNewest(1))
            #expect(database.isObservingChanges)
            _ = first
            _ = second
        }
        #expect(!database.isObservingChanges)
    }

    @Test("close ends the streams")
    func closeEnds() async throws {
        let database = try Database.inMemory()
        let stream = try database.changes(bufferingPolicy: .unbounded)
        try database.set("a", "1")
        try database.close()
        var received: [Change] = []
        for await change in stream { received.append(change) }
        #expect(received == [Change(kind: .inserted, key: "a")])
    }
}
