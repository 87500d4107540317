// The tutorial's "complete FFI wrapper": a key-value database over SQLite's C API.

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
///
/// Close it with ``close()`` to learn of an error; otherwise dropping the last reference
/// closes it (its change streams end either way, and the file is left complete).
public final class Database: Sendable {
    /// Tuning for ``Database/init(path:options:)``.
    public struct Options: Sendable {
        /// The longest a write waits before it starts — for other threads of this
        /// process, for other processes and for SQLite's lock, all together — before it
        /// fails with ``SQLiteResultCode/busy``. The operation itself, once started, is not
        /// limited. A read waits for SQLite's lock within the same bound; it takes a free
        /// reader connection of this process, and waits for one without a deadline only
        /// when every reader is busy (a read holds its connection only while it runs).
        /// Opening waits within the same bound for other processes opening the file.
        /// Zero or negative: no waiting at all.
        ///
        /// Writers wait in arrival order: the threads of a process, and the processes that
        /// use this library on the same file (through advisory locks on a file beside the
        /// database, `<database>-wlock`, which its last user removes on closing, as SQLite
        /// removes `-wal` and `-shm`; see ``Database/writeOrder``). Other programs writing
        /// the file, such as the sqlite3 shell, are not in that queue: SQLite's lock still
        /// keeps the data safe, without the fairness.
        public var busyTimeout: Duration = .seconds(5)
        /// Read connections for a file database, so reads run concurrently.
        public var readerCount: Int = 4
        /// The largest value accepted by `set`, in bytes: a larger one is refused whole
        /// with ``SQLiteResultCode/tooBig``. It limits values only, never keys or SQLite's
        /// own rows. `nil` leaves SQLite's limit on a whole row (1,000,000,000 bytes: a
        /// value, its key and a few bytes of header), which still applies; a limit above
        /// it is refused when the database opens.
        public var maximumValueSize: Int?
        /// The name of a registered SQLite VFS to open the file with (`sqlite3_vfs_register`);
        /// `nil` uses SQLite's default. Within the package only: the fault-injection tool
        /// opens with a VFS that fails on purpose.
        package var vfsName: String?

        /// The defaults: a 5-second busy timeout, 4 readers, SQLite's length limit.
        public init() {}
    }

    /// The file's path as text, or `nil` for an in-memory database — and for a path given
    /// as bytes that are not UTF-8 (``pathBytes`` has it).
    public var path: String? {
        pathBytes.flatMap { String(validating: $0, as: UTF8.self) }
    }
    /// The file's path as the file system's bytes, exactly as given, or `nil` for an
    /// in-memory database.
    public let pathBytes: [UInt8]?
    /// How writers of this database are ordered.
    public let writeOrder: WriteOrder
    private let options: Options
    private let writer: WriterSlot
    private let readers: [Serialized<Connection?>]
    private let nextReader = Atomic(0)
    private let hub = ChangeHub()
    /// The thread running a transaction's body (`CThread.current`), or 0: its calls on the
    /// database itself are refused, whichever connection they would use.
    private let transactionThread = Atomic<UInt>(0)

    /// How a database orders the writers that wait for it.
    public enum WriteOrder: Equatable, Hashable, Sendable, CustomStringConvertible {
        /// In arrival order among the threads of this process and, through the lock file
        /// `<database>-wlock` beside the database, among the processes that use this
        /// library on the file.
        case betweenProcesses
        /// In arrival order among the threads of this process only, for `reason`: the
        /// database is in memory, or the lock file cannot be used (its directory is not
        /// writable, its file system has no open-file-description locks). Writes from other
        /// processes are still kept apart by SQLite's lock, without their turn in line.
        case withinProcess(reason: String)

        public var description: String {
            switch self {
            case .betweenProcesses: "in arrival order, between processes"
            case .withinProcess(let reason): "in arrival order within this process only: \(reason)"
            }
        }
    }

    /// Opens the database at `path`, creating the file if it is missing.
    /// The corresponding C function is `sqlite3_open_v2`.
    ///
    /// Any number of threads and processes may open the same file at once, a new one
    /// included: one at a time checks and prepares it, through the lock file beside it
    /// (when ``writeOrder`` is `.withinProcess`, only SQLite's locks order them, and two
    /// first opens can wait for each other until the busy timeout).
    ///
    /// - Throws: ``DatabaseError`` with ``SQLiteResultCode/cantOpen`` for an empty path, a
    ///   path holding a NUL byte or a file that cannot be opened (":memory:" opens an
    ///   in-memory database, as ``inMemory(options:)`` does); ``SQLiteResultCode/notADatabase``
    ///   for a file that is not an SQLite database, or another application's, which is left
    ///   as it was.
    public convenience init(path: String, options: Options = Options()) throws(DatabaseError) {
        try self.init(location: Array(path.utf8), options: options)
    }

    /// Opens the database at a path given as the file system's bytes, which need not be
    /// UTF-8 (a Linux path is any bytes but NUL), creating the file if it is missing.
    /// Otherwise as ``init(path:options:)``.
    public convenience init(pathBytes: [UInt8], options: Options = Options()) throws(DatabaseError) {
        try self.init(location: pathBytes, options: options)
    }

    /// Opens a private in-memory database, gone when closed.
    public static func inMemory(options: Options = Options()) throws(DatabaseError) -> Database {
        try Database(location: nil, options: options)
    }

    private init(location requested: [UInt8]?, options: Options) throws(DatabaseError) {
        // SQLite gives these paths a private database per connection: opened as a file,
        // the reader connections would each see a different, empty database.
        if requested == [] {
            throw .emptyPath
        }
        let location = requested == Array(":memory:".utf8) ? nil : requested
        pathBytes = location
        self.options = options
        let connection = try Connection(path: location ?? Array(":memory:".utf8), readOnly: false, options: options)
        try connection.checkValueLimit()
        connection.startOperation()
        let writer = try WriterSlot(connection, busyTimeout: options.busyTimeout)
        writeOrder = writer.turnUnavailable.map { .withinProcess(reason: $0) } ?? .betweenProcesses
        // Until the file is known to be KeyValueStore's, closing leaves it as it was: a
        // refused file's write-ahead log is not checkpointed into it.
        connection.setCheckpointsOnClose(false)
        let wal = location != nil
        if try !Schema.isReady(connection, wal: wal) {
            try writer.whileOpening { () throws(DatabaseError) in try Schema.prepare(connection, wal: wal) }
        }
        connection.setCheckpointsOnClose(true)
        try connection.execute("PRAGMA synchronous=FULL", .open)
        self.writer = writer
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
        try read(.get) { (connection) throws(DatabaseError) in try KVTable.text(of: key, in: connection, .get) }
    }

    /// The value of `key` as bytes, exactly as stored, or `nil` when the key is missing.
    public func bytes(forKey key: String) throws(DatabaseError) -> [UInt8]? {
        try bytes(forKey: key, operation: .get)
    }

    private func bytes(forKey key: String, operation: DatabaseError.Operation) throws(DatabaseError) -> [UInt8]? {
        try read(operation) { (connection) throws(DatabaseError) in
            try KVTable.value(of: key, in: connection, operation)
        }
    }

    /// The number of keys.
    public func count() throws(DatabaseError) -> Int {
        try read(.count) { (connection) throws(DatabaseError) in try KVTable.count(in: connection) }
    }

    /// The keys that start with `prefix` (all keys for ""), in byte order of their UTF-8;
    /// the values are not read.
    public func keys(withPrefix prefix: String) throws(DatabaseError) -> [String] {
        try read(.scan) { (connection) throws(DatabaseError) in try KVTable.keys(prefix: prefix, in: connection) }
    }

    /// The entries whose keys start with `prefix`, in byte order of their UTF-8 keys.
    public func entries(withPrefix prefix: String) throws(DatabaseError) -> [(key: String, value: [UInt8])] {
        try read(.scan) { (connection) throws(DatabaseError) in try KVTable.scan(prefix: prefix, in: connection) }
    }

    /// SQLite's integrity check of the whole file: an empty array when the database is
    /// sound, otherwise SQLite's description of each problem. The corresponding SQL is
    /// `PRAGMA integrity_check`.
    ///
    /// Corruption is what this check reports, so it is returned, not thrown: when the
    /// damage stops the check part way (SQLite's `SQLITE_CORRUPT`), the problems found so
    /// far come back with SQLite's message ("database disk image is malformed") last.
    ///
    /// - Throws: ``SQLiteResultCode/misuse`` when the database is closed or from inside its
    ///   own transaction; any other error that keeps the check from running (an I/O error).
    public func checkIntegrity() throws(DatabaseError) -> [String] {
        try refuseInsideTransaction(.integrityCheck)
        return try writer.withConnection(.integrityCheck, writes: false) { (connection) throws(DatabaseError) in
            try connection.integrityProblems(.integrityCheck)
        }
    }

    /// The journal mode SQLite is using ("wal" for a file, "memory" in memory).
    public func journalMode() throws(DatabaseError) -> String {
        try refuseInsideTransaction(.journalMode)
        let rows = try writer.withConnection(.journalMode, writes: false) { (connection) throws(DatabaseError) in
            try connection.rows("PRAGMA journal_mode", .journalMode)
        }
        return rows.first ?? ""
    }

    /// Whether SQLite's update hook is installed: while a change stream is alive, and
    /// after the last one ends until the writer's next use.
    var isObservingChanges: Bool {
        let hub = self.hub
        return
            (try? writer.withConnection(.changes, writes: false) { (connection) throws(DatabaseError) in
                connection.stopObservingUnlessWatched(by: hub)
                return connection.isObservingChanges
            }) ?? false
    }

    /// Makes the writer's next `count` ROLLBACKs fail before SQLite is asked (tests of a
    /// failed rollback).
    func failRollbacksForTesting(_ count: Int) throws(DatabaseError) {
        try writer.withConnection(.transaction, writes: false) { (connection) throws(DatabaseError) in
            connection.rollbackFailuresForTesting = count
        }
    }

    // MARK: Writing

    /// Sets `key` to a text value. The write is durable when this returns.
    ///
    /// - Throws: ``DatabaseError`` with ``SQLiteResultCode/tooBig`` for a value over the
    ///   length limit; the write is refused whole, never truncated.
    public func set(_ key: String, _ value: String) throws(DatabaseError) {
        try write(.set) { (connection) throws(DatabaseError) in try KVTable.set(key, .text(value), in: connection) }
    }

    /// Sets `key` to a byte value, stored exactly. The write is durable when this returns.
    public func set(_ key: String, bytes value: [UInt8]) throws(DatabaseError) {
        try write(.set) { (connection) throws(DatabaseError) in try KVTable.set(key, .bytes(value), in: connection) }
    }

    /// Deletes `key`. Returns whether it existed; deleting a missing key is not an error.
    @discardableResult
    public func delete(_ key: String) throws(DatabaseError) -> Bool {
        try write(.delete) { (connection) throws(DatabaseError) in try KVTable.delete(key, in: connection) }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it
    /// throws (and the error rethrown). Other writers wait; readers on other threads see
    /// the state before the transaction until it commits (in memory, they wait for it).
    ///
    /// Use the ``Transaction`` passed to `body`, not the database itself: any call on the
    /// database from inside `body` — a read, a write, `close()`, a new stream — throws
    /// ``SQLiteResultCode/misuse`` and changes nothing, on a file as in memory.
    ///
    /// When SQLite rolls the transaction back by itself after a failure inside it (an I/O
    /// error, a full disk, no memory), nothing of it is written — the rest of `body` is
    /// refused (see ``Transaction``) — and this method throws that failure, whether `body`
    /// caught it or not.
    ///
    /// A transaction never outlives this call: should `ROLLBACK` itself fail, the writer
    /// connection is closed, which makes SQLite roll back, and a file database opens a new
    /// one for the next write (an in-memory database is closed: its data lived in that
    /// connection).
    public func transaction<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        // `body` throws the caller's own errors: one that leaves it is carried out of the
        // typed write as a value, after the rollback, and thrown here.
        let outcome = try write(.transaction, publishing: false) {
            (connection) throws(DatabaseError) -> TransactionOutcome<R> in
            try connection.execute("BEGIN IMMEDIATE", .transaction)
            connection.transactionEndedBy = nil
            let result: R
            do {
                self.transactionThread.store(CThread.current, ordering: .relaxed)
                defer { self.transactionThread.store(0, ordering: .relaxed) }
                result = try body(Transaction(connection: connection))
            } catch {
                let endedBy = connection.transactionEndedBy
                abandon(connection)
                if let endedBy { throw endedBy }
                return .failed(error)
            }
            if let endedBy = connection.transactionEndedBy {
                abandon(connection)
                throw endedBy
            }
            do throws(DatabaseError) {
                try connection.execute("COMMIT", .transaction)
            } catch {
                abandon(connection)
                throw error
            }
            // Only what committed is published; an abandoned transaction may have lost
            // its connection (a failed ROLLBACK closes it).
            publishChanges(of: connection)
            return .committed(result)
        }
        switch outcome {
        case .committed(let result): return result
        case .failed(let error): throw error
        }
    }

    /// How a transaction's body ended, for the writer's typed path.
    private enum TransactionOutcome<R> {
        case committed(R)
        case failed(any Error)
    }

    /// Forgets the changes of a transaction that does not commit, and rolls it back.
    private func abandon(_ connection: Connection) {
        connection.changes.discard()
        rollBack(connection)
    }

    /// Ends `connection`'s open transaction, if any, so that none is left for the next
    /// writer: when `ROLLBACK` keeps failing, the connection is closed (SQLite rolls back
    /// as it closes) and, for a file, replaced; without a replacement, every later
    /// operation is refused with the reason.
    private func rollBack(_ connection: Connection) {
        let rollbackFailure: DatabaseError
        do throws(DatabaseError) {
            try connection.rollBack(.transaction)
            return
        } catch {
            rollbackFailure = error
        }
        let observing = connection.isObservingChanges
        // SQLite's full path: the one given may be relative to a directory since left.
        let file = connection.fileNameBytes
        _ = try? connection.close()
        guard pathBytes != nil, let path = file else {
            writer.lose(WriterLoss(rollback: rollbackFailure, reopening: nil))
            return
        }
        do throws(DatabaseError) {
            let replacement = try openWriter(path)
            if observing { replacement.installUpdateHook() }
            writer.replace(with: replacement)
        } catch {
            writer.lose(WriterLoss(rollback: rollbackFailure, reopening: error))
        }
    }

    /// A new writer connection for the file at `path`, set up as `init` sets up the first;
    /// the file must still be this database's, up to date.
    private func openWriter(_ path: [UInt8]) throws(DatabaseError) -> Connection {
        let connection = try Connection(path: path, readOnly: false, options: options)
        try connection.checkValueLimit()
        connection.startOperation()
        guard try Schema.isReady(connection, wal: true) else {
            throw DatabaseError(
                code: .notADatabase,
                message:
                    "the file at the database's path is no longer a KeyValueStore database of this layout in WAL mode, so no writer connection was opened on it",
                operation: .open)
        }
        try connection.execute("PRAGMA synchronous=FULL", .open)
        return connection
    }

    /// Hands the changes `connection` recorded to the streams. Called before the writer's
    /// lock is released, so the streams' order is the commit order.
    private func publishChanges(of connection: Connection) {
        hub.publish(connection.takeChanges())
        connection.stopObservingUnlessWatched(by: hub)
    }

    // MARK: Closing

    /// Closes every connection, reporting the first error, and ends every change stream.
    ///
    /// The reader connections close first and the writer last: as the last connection to
    /// the file it checkpoints the write-ahead log into the `.db` file and removes the
    /// `-wal` and `-shm` files, so the `.db` file alone holds the database (unless another
    /// process still has it open). Later calls throw ``SQLiteResultCode/misuse``; closing
    /// again does nothing. Without `close()`, the database closes when its last reference
    /// goes.
    ///
    /// - Throws: ``SQLiteResultCode/misuse`` from inside the database's own transaction,
    ///   leaving it open and untouched; otherwise SQLite's error from closing a connection.
    public func close() throws(DatabaseError) {
        try refuseInsideTransaction(.close)
        if let error = shutDown() { throw error }
    }

    deinit {
        _ = shutDown()
    }

    /// Closes the connections, readers first, and finishes the streams; returns the first
    /// error. The writer is taken out first (waiting for the write in progress), so no
    /// write starts meanwhile.
    private func shutDown() -> DatabaseError? {
        let taken: Connection??
        do throws(DatabaseError) {
            taken = try writer.take(.close)
        } catch {
            return error
        }
        guard let writerConnection = taken else { return nil }
        var firstError: DatabaseError?
        for reader in readers {
            let connection: Connection?? = reader.withLockUnlessReentrant { $0.take() }
            do throws(DatabaseError) {
                try connection??.close()
            } catch {
                firstError = firstError ?? error
            }
        }
        do throws(DatabaseError) {
            try writerConnection?.close()
        } catch {
            firstError = firstError ?? error
        }
        hub.finishAll()
        return firstError
    }

    // MARK: Changes

    /// Committed changes, as they happen: each key set or deleted through this
    /// `Database`, after its transaction commits (a rolled-back change is never reported),
    /// in commit order — replaying the stream from its start over the keys present then
    /// gives exactly the database's keys.
    ///
    /// Only writes made through this `Database` object are reported: SQLite records
    /// changes per connection, so writes through another `Database` on the same file, or
    /// from another process, never reach this stream.
    ///
    /// Changes are recorded by SQLite's update hook, installed while at least one stream
    /// is alive. A stream ends when it is cancelled or dropped, or when the database
    /// closes (by ``close()`` or by losing its last reference); a stream does not keep the
    /// database alive.
    ///
    /// - Parameter bufferingPolicy: what to keep when changes come faster than they are read.
    /// - Throws: ``SQLiteResultCode/misuse`` when the database is closed, or from inside
    ///   its own transaction.
    public func changes(
        bufferingPolicy: AsyncStream<Change>.Continuation.BufferingPolicy
    ) throws(DatabaseError) -> AsyncStream<Change> {
        try refuseInsideTransaction(.changes)
        let hub = self.hub
        let (stream, continuation) = AsyncStream.makeStream(of: Change.self, bufferingPolicy: bufferingPolicy)
        let id = try writer.withConnection(.changes, writes: false) { (connection) throws(DatabaseError) in
            connection.installUpdateHook()
            return hub.add(continuation)
        }
        // Only the hub's own lock: a termination handler can run inside Task.cancel(),
        // and must not wait for the writer, which may be publishing to this very stream.
        // The hook itself goes at the writer's next use (stopObservingUnlessWatched).
        continuation.onTermination = { [weak hub] _ in hub?.remove(id) }
        return stream
    }

    // MARK: Plumbing

    private func read<R>(
        _ operation: DatabaseError.Operation, _ body: (Connection) throws(DatabaseError) -> R
    ) throws(DatabaseError) -> R {
        try refuseInsideTransaction(operation)
        guard !readers.isEmpty else {
            return try writer.withConnection(operation, writes: false, body)
        }
        // The first free reader, looking from a different one each time; when every reader
        // is busy, wait for one of them, in turn.
        let start = UInt(bitPattern: nextReader.wrappingAdd(1, ordering: .relaxed).oldValue)
        let count = UInt(readers.count)
        for offset in 0..<count {
            let slot = readers[Int((start &+ offset) % count)]
            let outcome: R? = try slot.withLockIfAvailable { (connection) throws(DatabaseError) -> R in
                try Self.run(connection, operation, body)
            }
            if let outcome { return outcome }
        }
        return try Self.lockedConnection(readers[Int(start % count)], operation, body)
    }

    /// Holds the first `count` reader connections while `body` runs on this thread (tests
    /// of the choice of a free reader).
    func holdingReadersForTesting<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
        guard count > 0 else { return try body() }
        return try readers[count - 1].withLock { _ in try holdingReadersForTesting(count - 1, body) }
    }

    /// Runs `body` with the writer connection, and then, when `publishing`, hands what it
    /// changed to the streams; on failure forgets the changes instead.
    private func write<R>(
        _ operation: DatabaseError.Operation, publishing: Bool = true,
        _ body: (Connection) throws(DatabaseError) -> R
    ) throws(DatabaseError) -> R {
        try refuseInsideTransaction(operation)
        return try writer.withConnection(operation, writes: true) {
            (connection) throws(DatabaseError) -> R in
            let result: R
            do throws(DatabaseError) {
                result = try body(connection)
            } catch {
                connection.changes.discard()
                throw error
            }
            if publishing { publishChanges(of: connection) }
            return result
        }
    }

    /// Refuses a call from inside this database's own transaction, before it touches
    /// anything: a reader connection would answer with the committed state, and the
    /// writer's lock is the transaction's.
    private func refuseInsideTransaction(_ operation: DatabaseError.Operation) throws(DatabaseError) {
        let running = transactionThread.load(ordering: .relaxed)
        if running != 0 && CThread.isCurrent(running) {
            throw .reentered(operation)
        }
    }

    private static func lockedConnection<R>(
        _ slot: Serialized<Connection?>, _ operation: DatabaseError.Operation,
        _ body: (Connection) throws(DatabaseError) -> R
    ) throws(DatabaseError) -> R {
        // The error leaves the lock typed: no Result is built on the way out.
        let outcome: R? = try slot.withLockUnlessReentrant { (connection) throws(DatabaseError) -> R in
            try Self.run(connection, operation, body)
        }
        guard let outcome else { throw .reentered(operation) }
        return outcome
    }

    /// Runs a read on a reader connection the caller holds: `nil` once the database is closed.
    private static func run<R>(
        _ connection: Connection?, _ operation: DatabaseError.Operation,
        _ body: (Connection) throws(DatabaseError) -> R
    ) throws(DatabaseError) -> R {
        guard let connection else { throw .closed(operation) }
        connection.startOperation()
        return try body(connection)
    }
}
