// The tutorial's "complete FFI wrapper": a key-value database over SQLite's C API.

import CSQLite
import SafeFFI
import Synchronization

/// A durable key-value store in one SQLite file (or in memory).
///
/// Keys are strings; values are strings or bytes, stored exactly — NUL bytes included.
/// Every write is durable when it returns: the database runs in WAL mode with
/// `synchronous=FULL`.
///
/// `Sendable`: each SQLite connection is used by one thread at a time, under its own
/// lock — one writer connection, and for a file several reader connections, so reads run
/// concurrently with each other and with a write.
public final class Database: Sendable {
    /// Tuning for ``Database/init(path:options:)``.
    public struct Options: Sendable {
        /// How long to wait for another process's lock before failing with `SQLITE_BUSY`.
        public var busyTimeout: Duration = .seconds(5)
        /// Read connections for a file database, so reads run concurrently.
        public var readerCount: Int = 4
        /// The largest row accepted, in bytes (SQLite's `SQLITE_LIMIT_LENGTH`, which covers
        /// a value and also its key and row header); `nil` keeps SQLite's limit
        /// (1,000,000,000).
        public var maximumValueSize: Int?
        /// The name of a registered SQLite VFS to open the file with (`sqlite3_vfs_register`);
        /// `nil` uses SQLite's default. Fault-injection tests use one that fails on purpose.
        public var vfsName: String?

        /// The defaults: a 5-second busy timeout, 4 readers, SQLite's length limit.
        public init() {}
    }

    /// The file, or `nil` for an in-memory database.
    public let path: String?
    private let writer: Serialized<Connection?>
    private let readers: [Serialized<Connection?>]
    private let nextReader = Atomic(0)
    private let hub = ChangeHub()

    /// Opens the database at `path`, creating the file if it is missing.
    /// The corresponding C function is `sqlite3_open_v2`.
    ///
    /// - Throws: ``DatabaseError`` with ``SQLiteResultCode/cantOpen`` for an empty path, a
    ///   path holding a NUL byte or a file that cannot be opened (":memory:" opens an
    ///   in-memory database, as ``inMemory(options:)`` does); ``SQLiteResultCode/notADatabase`` for a
    ///   file that is not an SQLite database.
    public convenience init(path: String, options: Options = Options()) throws(DatabaseError) {
        try self.init(location: path, options: options)
    }

    /// Opens a private in-memory database, gone when closed.
    public static func inMemory(options: Options = Options()) throws(DatabaseError) -> Database {
        try Database(location: nil, options: options)
    }

    private init(location requested: String?, options: Options) throws(DatabaseError) {
        // SQLite gives these paths a private database per connection: opened as a file,
        // the reader connections would each see a different, empty database.
        if requested == "" {
            throw DatabaseError(
                code: .cantOpen, message: "the path is empty (use Database.inMemory() for a private database)",
                operation: "open")
        }
        let location = requested == ":memory:" ? nil : requested
        path = location
        let connection = try Connection(path: location ?? ":memory:", readOnly: false, options: options)
        if location != nil {
            try connection.execute("PRAGMA journal_mode=WAL", "open")
        }
        try connection.execute("PRAGMA synchronous=FULL", "open")
        try connection.execute(
            "CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL)", "open")
        writer = Serialized(connection)
        var readers: [Serialized<Connection?>] = []
        if let location {
            for _ in 0..<max(0, options.readerCount) {
                let reader = try Connection(path: location, readOnly: true, options: options)
                readers.append(Serialized(reader))
            }
        }
        self.readers = readers
    }

    // MARK: Reading

    /// The value of `key` as text, or `nil` when the key is missing.
    ///
    /// - Throws: ``DatabaseError`` with ``SQLiteResultCode/mismatch`` when the stored value
    ///   is not UTF-8 (read it with ``bytes(forKey:)``).
    public func get(_ key: String) throws(DatabaseError) -> String? {
        try read("get") { (connection) throws(DatabaseError) in try Queries.text(of: key, in: connection, "get") }
    }

    /// The value of `key` as bytes, exactly as stored, or `nil` when the key is missing.
    public func bytes(forKey key: String) throws(DatabaseError) -> [UInt8]? {
        try bytes(forKey: key, operation: "get")
    }

    private func bytes(forKey key: String, operation: String) throws(DatabaseError) -> [UInt8]? {
        try read(operation) { (connection) throws(DatabaseError) in
            try Queries.value(of: key, in: connection, operation)
        }
    }

    /// The number of keys.
    public func count() throws(DatabaseError) -> Int {
        try read("count") { (connection) throws(DatabaseError) in try Queries.count(in: connection) }
    }

    /// The keys that start with `prefix` (all keys for ""), in byte order of their UTF-8.
    public func keys(withPrefix prefix: String) throws(DatabaseError) -> [String] {
        try entries(withPrefix: prefix).map(\.key)
    }

    /// The entries whose keys start with `prefix`, in byte order of their UTF-8 keys.
    public func entries(withPrefix prefix: String) throws(DatabaseError) -> [(key: String, value: [UInt8])] {
        try read("scan") { (connection) throws(DatabaseError) in try Queries.scan(prefix: prefix, in: connection) }
    }

    /// SQLite's integrity check of the whole file: an empty array when the database is
    /// sound, otherwise SQLite's descriptions of each problem. The corresponding SQL is
    /// `PRAGMA integrity_check`.
    public func checkIntegrity() throws(DatabaseError) -> [String] {
        let rows = try Self.lockedConnection(writer, "integrity_check") { (connection) throws(DatabaseError) in
            try connection.rows("PRAGMA integrity_check", "integrity_check")
        }
        return rows == ["ok"] ? [] : rows
    }

    /// The journal mode SQLite is using ("wal" for a file, "memory" in memory).
    public func journalMode() throws(DatabaseError) -> String {
        let rows = try Self.lockedConnection(writer, "journal_mode") { (connection) throws(DatabaseError) in
            try connection.rows("PRAGMA journal_mode", "journal_mode")
        }
        return rows.first ?? ""
    }

    /// Whether SQLite's update hook is installed (while a change stream is alive).
    var isObservingChanges: Bool {
        (try? Self.lockedConnection(writer, "changes") { (connection) throws(DatabaseError) in
            connection.isObservingChanges
        }) ?? false
    }

    // MARK: Writing

    /// Sets `key` to a text value. The write is durable when this returns.
    ///
    /// - Throws: ``DatabaseError`` with ``SQLiteResultCode/tooBig`` for a value over the
    ///   length limit; the write is refused whole, never truncated.
    public func set(_ key: String, _ value: String) throws(DatabaseError) {
        try write("set") { (connection) throws(DatabaseError) in try Queries.set(key, .text(value), in: connection) }
    }

    /// Sets `key` to a byte value, stored exactly. The write is durable when this returns.
    public func set(_ key: String, bytes value: [UInt8]) throws(DatabaseError) {
        try write("set") { (connection) throws(DatabaseError) in try Queries.set(key, .bytes(value), in: connection) }
    }

    /// Deletes `key`. Returns whether it existed; deleting a missing key is not an error.
    @discardableResult
    public func delete(_ key: String) throws(DatabaseError) -> Bool {
        try write("delete") { (connection) throws(DatabaseError) in try Queries.delete(key, in: connection) }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it
    /// throws (and the error rethrown). Other writers wait; readers see the state before
    /// the transaction until it commits.
    ///
    /// Use the ``Transaction`` passed to `body`, not the database itself: using the
    /// database from inside `body` throws ``SQLiteResultCode/misuse``.
    public func transaction<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        let (result, changes) = try writeLocked("transaction") { (connection) throws -> (R, [Change]) in
            try connection.execute("BEGIN IMMEDIATE", "transaction")
            let result: R
            do {
                result = try body(Transaction(connection: connection))
            } catch {
                connection.pendingChanges.removeAll()
                try? connection.execute("ROLLBACK", "transaction")
                throw error
            }
            do {
                try connection.execute("COMMIT", "transaction")
            } catch {
                connection.pendingChanges.removeAll()
                if connection.inTransaction {
                    try? connection.execute("ROLLBACK", "transaction")
                }
                throw error
            }
            return (result, connection.takeChanges())
        }
        hub.publish(changes)
        return result
    }

    // MARK: Closing

    /// Closes every connection, reporting the first error, and ends every change stream.
    /// Later calls throw ``SQLiteResultCode/misuse``. Without `close()`, the connections
    /// are closed when the database is deinitialised.
    public func close() throws(DatabaseError) {
        var firstError: DatabaseError?
        let closeOne = { (slot: Serialized<Connection?>) in
            let connection: Connection?? = slot.withLockUnlessReentrant { $0.take() }
            guard let connection else {
                firstError = firstError ?? .reentered("close")
                return
            }
            do throws(DatabaseError) {
                try connection?.close()
            } catch {
                firstError = firstError ?? error
            }
        }
        closeOne(writer)
        for reader in readers { closeOne(reader) }
        hub.finishAll()
        if let firstError { throw firstError }
    }

    // MARK: Changes

    /// Committed changes, as they happen: each key set or deleted, after its transaction
    /// commits (a rolled-back change is never reported).
    ///
    /// Changes are recorded by SQLite's update hook, installed while at least one stream
    /// is alive; the stream's end — cancellation, dropping it, or ``close()`` —
    /// unregisters it, and the last one removes the hook.
    ///
    /// - Parameter bufferingPolicy: what to keep when changes come faster than they are read.
    /// - Throws: ``SQLiteResultCode/misuse`` when the database is closed.
    public func changes(
        bufferingPolicy: AsyncStream<Change>.Continuation.BufferingPolicy
    ) throws(DatabaseError) -> AsyncStream<Change> {
        let writer = self.writer
        let hub = self.hub
        return try CallbackStream.make(of: Change.self, bufferingPolicy: bufferingPolicy) {
            (sink) throws(DatabaseError) -> CallbackRegistration in
            // SAFETY: C never sees this context: the update hook reaches the sinks through
            // the hub, so the opaque pointer is unused.
            try unsafe CallbackRegistration(
                context: sink,
                register: { (_) throws(DatabaseError) -> Int in
                    try Self.lockedConnection(writer, "changes") { (connection) throws(DatabaseError) in
                        connection.installUpdateHook()
                        return hub.add(sink)
                    }
                },
                unregister: { id in
                    let isLast = hub.remove(id)
                    // Inside a transaction on this thread the hook stays until the next
                    // subscription change; the connection's lock is not re-entered.
                    _ = writer.withLockUnlessReentrant { connection in
                        if isLast && hub.isEmpty { connection?.removeUpdateHook() }
                    }
                })
        }
    }

    // MARK: Plumbing

    private func read<R>(
        _ operation: String, _ body: (Connection) throws(DatabaseError) -> R
    ) throws(DatabaseError) -> R {
        guard !readers.isEmpty else {
            return try Self.lockedConnection(writer, operation, body)
        }
        let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        return try Self.lockedConnection(readers[index % readers.count], operation, body)
    }

    private func write<R>(
        _ operation: String, _ body: (Connection) throws(DatabaseError) -> R
    ) throws(DatabaseError) -> R {
        let (result, changes) = try Self.lockedConnection(writer, operation) {
            (connection) throws(DatabaseError) -> (R, [Change]) in
            do throws(DatabaseError) {
                let result = try body(connection)
                return (result, connection.takeChanges())
            } catch {
                connection.pendingChanges.removeAll()
                throw error
            }
        }
        hub.publish(changes)
        return result
    }

    /// Like `write`, for bodies that throw a caller's error (transactions).
    private func writeLocked<R>(_ operation: String, _ body: (Connection) throws -> R) throws -> R {
        let outcome: Result<R, any Error>? = writer.withLockUnlessReentrant { connection in
            guard let connection else { return .failure(DatabaseError.closed(operation)) }
            return Result { try body(connection) }
        }
        guard let outcome else { throw DatabaseError.reentered(operation) }
        return try outcome.get()
    }

    private static func lockedConnection<R>(
        _ slot: Serialized<Connection?>, _ operation: String, _ body: (Connection) throws(DatabaseError) -> R
    ) throws(DatabaseError) -> R {
        let outcome: Result<R, DatabaseError>? = slot.withLockUnlessReentrant { connection in
            guard let connection else { return .failure(.closed(operation)) }
            return Result { () throws(DatabaseError) in try body(connection) }
        }
        guard let outcome else { throw .reentered(operation) }
        return try outcome.get()
    }

    static func notText(key: String, offset: Int) -> DatabaseError {
        DatabaseError(
            code: .mismatch,
            message: "the value of key '\(key)' is not UTF-8 text (invalid byte at offset \(offset)); read it as bytes",
            operation: "get")
    }
}

extension Connection {
    /// The changes recorded since the last call, if the statement or transaction is over.
    func takeChanges() -> [Change] {
        guard !inTransaction else { return [] }
        defer { pendingChanges.removeAll() }
        return pendingChanges
    }
}
