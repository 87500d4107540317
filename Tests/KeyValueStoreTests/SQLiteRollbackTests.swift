import CSQLite
import CSQLiteFaults
import Foundation
import Testing

@testable import KeyValueStore

/// SQLite ends a whole transaction by itself after some failures (an I/O error while it
/// spills its page cache, a full disk, no memory). These tests make the first write through
/// the "faulty" VFS fail while a transaction spills, so SQLite rolls it back in the middle.
/// Serialized: the VFS's failure counter is one for the process.
@Suite("Database: a transaction SQLite rolled back by itself", .serialized)
struct SQLiteRollbackTests {
    /// 1 MiB: three of these spill SQLite's 2 MB page cache to the write-ahead log.
    static let large = [UInt8](repeating: 0x5A, count: 1 << 20)
    /// SQLITE_IOERR_WRITE, a macro Swift does not import: SQLITE_IOERR | (3 << 8).
    static let ioErrorWrite = SQLiteResultCode(rawValue: SQLITE_IOERR | (3 << 8))

    init() throws {
        try #require(sqlite_faults_register_vfs() == SQLITE_OK)
    }

    static func faultyDatabase(in directory: TemporaryDirectory) throws -> Database {
        var options = Database.Options()
        options.vfsName = "faulty"
        return try Database(path: directory.path("rollback.db"), options: options)
    }

    /// Runs the usual "skip the bad item" batch: five large sets, each failure caught and
    /// kept, with the first write of the file failing. Returns what the body saw and what
    /// `transaction` threw.
    static func skippingBatch(
        _ database: Database
    ) -> (failures: [DatabaseError], readInside: Result<String?, DatabaseError>?, thrown: (any Error)?) {
        var failures: [DatabaseError] = []
        var readInside: Result<String?, DatabaseError>?
        sqlite_faults_fail_io_after(0)
        defer { sqlite_faults_fail_io_after(-1) }
        do {
            try database.transaction { transaction in
                try transaction.set("item0", "small")
                for index in 1...5 {
                    do throws(DatabaseError) {
                        try transaction.set("item\(index)", bytes: large)
                    } catch {
                        failures.append(error)
                    }
                }
                readInside = Result { () throws(DatabaseError) in try transaction.get("item0") }
            }
        } catch {
            return (failures, readInside, error)
        }
        return (failures, readInside, nil)
    }

    @Test("a body that skips the failed items: nothing of it is written and the first failure comes out")
    func skippedItemsWriteNothing() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.faultyDatabase(in: directory)
        try database.set("before", "kept")
        let (failures, readInside, thrown) = Self.skippingBatch(database)

        let first = try #require(failures.first)
        #expect(first.code == Self.ioErrorWrite)
        #expect(first.operation == .set)
        // Every later operation of the transaction is refused, naming that failure.
        #expect(failures.count >= 2)
        for refused in failures.dropFirst() {
            #expect(refused == .transactionEnded(.set, by: first))
        }
        if case .failure(let error)? = readInside {
            #expect(error == .transactionEnded(.get, by: first))
        } else {
            Issue.record("a read after SQLite's rollback answered \(String(describing: readInside))")
        }
        #expect((thrown as? DatabaseError) == first)

        #expect(try database.keys(withPrefix: "") == ["before"])
        try database.set("after", "written")
        #expect(try database.keys(withPrefix: "") == ["after", "before"])
        try database.close()
        let reopened = try Database(path: directory.path("rollback.db"))
        #expect(try reopened.keys(withPrefix: "") == ["after", "before"])
        #expect(try reopened.checkIntegrity() == [])
    }

    @Test("the change stream misses nothing and reports nothing of the rolled-back transaction")
    func streamEqualsDatabase() async throws {
        let directory = try TemporaryDirectory()
        let database = try Self.faultyDatabase(in: directory)
        try database.set("before", "kept")
        let stream = try database.changes(bufferingPolicy: .unbounded)
        let (_, _, thrown) = Self.skippingBatch(database)
        #expect(thrown is DatabaseError)
        try database.set("after", "written")
        let keys = try database.keys(withPrefix: "")
        try database.close()
        var changes: [Change] = []
        for await change in stream { changes.append(change) }
        #expect(changes == [Change(kind: .inserted, key: "after")])
        // Replayed over the keys present when the stream began, it gives the database's keys.
        #expect(keys == ["after", "before"])
    }

    @Test("a body that returns normally after SQLite's rollback still fails with that rollback's cause")
    func returnedBodyStillFails() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.faultyDatabase(in: directory)
        var first: DatabaseError?
        sqlite_faults_fail_io_after(0)
        defer { sqlite_faults_fail_io_after(-1) }
        #expect(throws: DatabaseError.self) {
            try database.transaction { transaction in
                for index in 1...3 {
                    do throws(DatabaseError) {
                        try transaction.set("item\(index)", bytes: Self.large)
                    } catch {
                        first = first ?? error
                    }
                }
                return 42
            }
        }
        sqlite_faults_fail_io_after(-1)
        #expect(first?.code == Self.ioErrorWrite)
        #expect(try database.count() == 0)
        // The next transaction starts afresh.
        try database.transaction { transaction in try transaction.set("next", "one") }
        #expect(try database.keys(withPrefix: "") == ["next"])
    }
}

/// `ROLLBACK` itself failing (made to fail by the test hook): no transaction is ever left
/// open for the next writer.
@Suite("Database: a ROLLBACK that fails")
struct FailedRollbackTests {
    struct Abort: Error, Equatable {}

    /// A transaction that writes "ghost" and throws.
    static func abortedTransaction(_ database: Database) {
        #expect(throws: Abort()) {
            try database.transaction { transaction in
                try transaction.set("ghost", "never committed")
                throw Abort()
            }
        }
    }

    @Test("a ROLLBACK that fails once is tried again: the body's error comes out, nothing is written")
    func failsOnce() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("once.db"))
        try database.failRollbacksForTesting(1)
        Self.abortedTransaction(database)
        #expect(try database.get("ghost") == nil)
        try database.set("next", "written")
        try database.close()
        #expect(try Database(path: directory.path("once.db")).keys(withPrefix: "") == ["next"])
    }

    @Test("a ROLLBACK that keeps failing closes the writer and opens a new one: later writes are their own")
    func keepsFailingOnAFile() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("again.db"))
        try database.set("before", "kept")
        let stream = try database.changes(bufferingPolicy: .unbounded)
        try database.failRollbacksForTesting(2)
        Self.abortedTransaction(database)
        #expect(try database.get("ghost") == nil)
        // The next writer's transaction is its own: a rollback of it loses nothing else.
        try database.set("after", "written")
        #expect(throws: Abort()) {
            try database.transaction { transaction in
                try transaction.set("another ghost", "x")
                throw Abort()
            }
        }
        #expect(try database.keys(withPrefix: "") == ["after", "before"])
        try database.close()
        var changes: [Change] = []
        for await change in stream { changes.append(change) }
        #expect(changes == [Change(kind: .inserted, key: "after")])
        #expect(try Database(path: directory.path("again.db")).keys(withPrefix: "") == ["after", "before"])
    }

    @Test("in memory, a ROLLBACK that keeps failing ends the database, and every later call says why")
    func keepsFailingInMemory() throws {
        let database = try Database.inMemory()
        try database.set("before", "kept")
        try database.failRollbacksForTesting(2)
        Self.abortedTransaction(database)
        let expected =
            "the database lost its writer connection: a ROLLBACK failed (transaction failed: a ROLLBACK failure injected by a test (disk I/O error, code 10), while running `ROLLBACK`), so the connection was closed to end the transaction, and an in-memory database cannot open a new one: its data was in that connection; close the database and open it again"
        #expect(throws: DatabaseError(code: .ioError, message: expected, operation: .get)) {
            try database.get("before")
        }
        #expect(throws: DatabaseError(code: .ioError, message: expected, operation: .set)) {
            try database.set("after", "x")
        }
        try database.close()
        #expect(throws: DatabaseError.closed(.get)) { try database.get("before") }
    }
}
