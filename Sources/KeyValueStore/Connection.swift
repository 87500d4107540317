// One SQLite connection: opening and closing it, its busy handler and update hook, and the
// statements it caches.
//
// KeyValueStore's C layer is five files, and only they call C: Connection.swift and
// Statement.swift (an SQLite connection and its statements), SQLite.swift (the calls that
// need no connection), CThread.swift (pthread) and WriterSlot.swift (the write queue in
// CKeyValueWriteQueue). The types above them — Database, Transaction, KVTable, the change
// stream — reach SQLite only through these. DatabaseError.swift reads SQLite's result-code
// constants, and calls nothing.

import CKeyValueWriteQueue
import CSQLite
import Glibc
import SafeFFI

/// One SQLite connection with its cached statements. Not thread-safe in itself: `Sendable`
/// only so a lock can hold it — `Database` reaches each connection only through its own
/// `Serialized` lock, so one thread at a time uses it (SQLite's multi-thread mode).
@safe
final class Connection: @unchecked Sendable {
    // SAFETY (invariant, for every `unsafe` call on it below): `handle` is this connection's
    // SQLite handle, open from init until close() or deinit, and used by one thread at a
    // time (Database reaches a connection only under its lock).
    private let handle: OpaquePointer
    /// The store's statements, one slot per `Query` (by raw value), each prepared on first
    /// use. Raw memory, like `busy`, rather than a stored array: reading a class's `var`
    /// costs a dynamic exclusivity check on every get.
    // SAFETY (invariant): `Query.allCases.count` slots, allocated and initialised (to nil)
    // in init with `busy`, deinitialised and freed once in deinit; read and written only
    // under the lock that guards this connection.
    private let queries: UnsafeMutablePointer<Statement?>
    /// Other SQL run more than once (transactions, pragmas), by its text.
    private var statements: [String: Statement] = [:]
    private var isOpen = true
    /// The largest value `set` accepts (Database.Options.maximumValueSize), or nil for
    /// SQLite's own limit on a row.
    private let valueLimit: Int?
    /// The deadline SQLite's busy handler waits until (kvq_busy_handler reads it).
    // SAFETY (invariant): allocated and initialised in init once the handle is open, freed
    // once in deinit; written only under the lock that guards this connection.
    private let busy: UnsafeMutablePointer<kvq_deadline>
    private let busyTimeout: Duration
    /// `busyTimeout` in nanoseconds, converted once, so that no read pays for a Duration's
    /// components (docs/BENCHMARKS.md).
    private let busyTimeoutNanoseconds: Int64

    /// The failure after which SQLite ended the open transaction by itself, or `nil`: while
    /// set, ``Transaction`` refuses every operation. Reset when a transaction begins.
    var transactionEndedBy: DatabaseError?

    /// What the update hook records (ChangeRecorder.swift).
    let changes = ChangeRecorder()
    /// Whether the update hook is installed.
    private(set) var isObservingChanges = false

    /// Opens the file whose path is `path`, the file system's bytes (any but NUL; they need
    /// not be UTF-8), or ":memory:" for a private in-memory database.
    init(path: [UInt8], readOnly: Bool, options: Database.Options) throws(DatabaseError) {
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        valueLimit = options.maximumValueSize
        busyTimeout = WriterSlot.effective(options.busyTimeout)
        busyTimeoutNanoseconds = WriterSlot.nanoseconds(of: options.busyTimeout)
        if let offset = path.firstIndex(of: 0) {
            throw .nulInPath(offset: offset)
        }
        var opened: OpaquePointer?
        let status: Int32
        do throws(BoundaryError) {
            let cPath = path.map { CChar(bitPattern: $0) } + [0]
            // SAFETY: the path (NUL-terminated above) and the VFS name are C strings valid
            // during the call; SQLite copies them. `opened` receives a handle even on
            // failure, closed below.
            status = try unsafe cPath.withUnsafeBufferPointer { (path) throws(BoundaryError) in
                guard let vfs = options.vfsName else {
                    return unsafe sqlite3_open_v2(path.baseAddress, &opened, flags, nil)
                }
                return try unsafe vfs.withCheckedCString {
                    unsafe sqlite3_open_v2(path.baseAddress, &opened, flags, $0)
                }
            }
        } catch {
            guard case .interiorNUL(let offset) = error else {
                preconditionFailure("withCheckedCString refuses only an interior NUL: \(error)")
            }
            throw .nulInVFSName(offset: offset)
        }
        // SAFETY: only tests the handle for NULL; nothing is read through it.
        guard let opened = unsafe opened else {
            throw .noConnection
        }
        // SAFETY: fresh memory, initialised at once and freed in deinit.
        unsafe busy = .allocate(capacity: 1)
        unsafe busy.initialize(to: kvq_deadline(deadline: 0, timeout: -1, seed: .random(in: .min ... .max), gave_up: 0))
        // SAFETY: fresh memory, every slot initialised at once; freed in deinit.
        unsafe queries = .allocate(capacity: Query.allCases.count)
        unsafe queries.initialize(repeating: nil, count: Query.allCases.count)
        // SAFETY: from here the handle is this connection's, under the invariant above; a
        // failed open still allocates one, which is closed once, here, and never used again.
        unsafe handle = opened
        guard status == SQLITE_OK else {
            let error = failure(status, .open)
            unsafe sqlite3_close_v2(handle)
            isOpen = false
            throw error
        }
        // SAFETY: configuration calls on the open handle, on the thread that opened it.
        unsafe sqlite3_extended_result_codes(handle, 1)
        // One deadline for every wait of an operation (see WriterSlot): the busy handler
        // gives up when it passes, rather than after a timeout of its own.
        // SAFETY: `busy` outlives the handle (freed in deinit, after the close).
        unsafe sqlite3_busy_handler(handle, kvq_busy_handler, UnsafeMutableRawPointer(busy))
    }

    /// Starts an operation whose waits for another connection's lock end at `deadline`, on
    /// CLOCK_MONOTONIC in nanoseconds (`kvq_now`); 0 gives up at once.
    func startOperation(until deadline: Int64) {
        // SAFETY: `busy` is valid (the invariant above), and used under this connection's lock.
        unsafe busy.pointee.deadline = deadline
        unsafe busy.pointee.timeout = -1
    }

    /// Starts an operation that waits for another connection's lock up to the busy timeout,
    /// counted from its first wait: SQLite's busy handler sets the deadline when it is first
    /// called, so an operation that never waits (nearly every read) reads no clock.
    func startOperation() {
        // SAFETY: as above.
        unsafe busy.pointee.timeout = busyTimeoutNanoseconds
    }

    /// Sets a deadline already passed, for one attempt that must not wait, and forgets
    /// whether the busy handler gave up before.
    func startProbe() {
        // SAFETY: `busy` is valid (the invariant above), and used under this connection's lock.
        unsafe busy.pointee.gave_up = 0
        startOperation(until: 0)
    }

    /// Whether SQLite's busy handler gave up since ``startProbe()``: another connection
    /// held the database's lock.
    var probeFoundLock: Bool {
        // SAFETY: as above.
        unsafe busy.pointee.gave_up != 0
    }

    /// Opens the write queue's lock file beside the database's file (`kvq_turn_open`), named
    /// from SQLite's full path of the file, byte for byte: `nil` and the reason when it
    /// cannot be used, or when the database is in memory.
    func openWriteTurn() -> (turn: OpaquePointer?, unavailable: String?) {
        guard let name = fileNameBytes else { return (nil, "the database is in memory, private to this process") }
        let cName = name.map { CChar(bitPattern: $0) } + [0]
        var reason = [CChar](repeating: 0, count: 512)
        // SAFETY: both buffers are the call's own and valid during it; the name is
        // NUL-terminated above and the shim copies what it keeps; it writes at most
        // `count` bytes of reason, NUL included.
        let turn = unsafe cName.withUnsafeBufferPointer { (name) in
            unsafe reason.withUnsafeMutableBufferPointer {
                unsafe kvq_turn_open(name.baseAddress, $0.baseAddress, $0.count)
            }
        }
        if let turn = unsafe turn {
            return unsafe (turn, nil)
        }
        // The reason names the path, whose bytes need not be UTF-8: shown with U+FFFD there.
        let text = reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return (nil, String(decoding: text, as: UTF8.self))
    }

    /// The database's file as SQLite names it (a full path), byte for byte; `nil` in memory.
    /// The corresponding C function is `sqlite3_db_filename`.
    var fileNameBytes: [UInt8]? {
        // SAFETY: SQLite returns a string it owns for the connection's life (or NULL); it is
        // copied here at once, up to its NUL.
        guard let name = unsafe sqlite3_db_filename(handle, "main"), unsafe name.pointee != 0 else { return nil }
        return unsafe Array(UnsafeRawBufferPointer(start: name, count: strlen(name)))
    }

    /// Whether closing this connection, as the file's last, checkpoints the write-ahead log
    /// into the file and removes `-wal` and `-shm` (SQLite's default). Off while a file not
    /// yet known to be KeyValueStore's is checked, so a refused file is left as it was.
    /// The corresponding C option is `SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE`.
    func setCheckpointsOnClose(_ on: Bool) {
        // SAFETY: a configuration call on the open handle (the invariant at `handle`).
        unsafe csqlite_set_checkpoint_on_close(handle, on ? 1 : 0)
    }

    /// Refuses a value limit that is negative or above SQLite's own limit on a row, which
    /// no value could reach.
    func checkValueLimit() throws(DatabaseError) {
        guard let valueLimit else { return }
        let rowLimit = lengthLimit
        guard (0...rowLimit).contains(valueLimit) else {
            throw .badValueLimit(valueLimit, rowLimit: rowLimit)
        }
    }

    /// The largest value `set` accepts on this connection, in bytes.
    var valueSizeLimit: Int { valueLimit ?? lengthLimit }

    deinit {
        defer {
            // SAFETY: freed once, after the handle that used it is closed; the slots' statements
            // were finalized before the close (or, for a failed open, never prepared).
            unsafe busy.deinitialize(count: 1)
            unsafe busy.deallocate()
            unsafe queries.deinitialize(count: Query.allCases.count)
            unsafe queries.deallocate()
        }
        guard isOpen else { return }
        removeUpdateHook()
        finalizeStatements()
        // SAFETY: every statement was finalized above; close_v2 never fails on a valid handle.
        unsafe sqlite3_close_v2(handle)
    }

    /// Finalizes the cached statements and closes the connection, reporting SQLite's error.
    func close() throws(DatabaseError) {
        guard isOpen else { return }
        removeUpdateHook()
        finalizeStatements()
        // SAFETY: no statement of this connection is left unfinalized.
        let status = unsafe sqlite3_close(handle)
        guard status == SQLITE_OK else { throw failure(status, .close) }
        isOpen = false
    }

    /// The error SQLite reports for `status`, with its message for this connection and the
    /// SQL it was running, if any.
    func failure(_ status: Int32, _ operation: DatabaseError.Operation, sql: String? = nil) -> DatabaseError {
        // SAFETY: sqlite3_errmsg returns a string owned by the connection, valid until the
        // next call on it; it is copied here at once.
        let message = unsafe sqlite3_errmsg(handle).flatMap { try? unsafe String(strictCString: $0) }
        let code = SQLiteResultCode(rawValue: unsafe sqlite3_extended_errcode(handle))
        let resultCode = code.rawValue == SQLITE_OK ? SQLiteResultCode(rawValue: status) : code
        var text = message ?? SQLiteResultCode(rawValue: status).description
        if resultCode.primary == .busy {
            text += DatabaseError.busyByOtherConnection(timeout: busyTimeout)
        }
        return DatabaseError(code: resultCode, message: text, operation: operation, sql: sql)
    }

    /// ROLLBACKs that fail on purpose before SQLite is asked, for tests of a failed
    /// rollback; 0 outside them.
    var rollbackFailuresForTesting = 0

    /// Rolls back the open transaction, if any. A failed `ROLLBACK` is tried once more
    /// after every statement of the connection is reset (a statement still running can keep
    /// it from ending).
    ///
    /// - Throws: the second failure, with the transaction still open.
    func rollBack(_ operation: DatabaseError.Operation) throws(DatabaseError) {
        for attempt in 0..<2 {
            guard inTransaction else { return }
            do throws(DatabaseError) {
                if rollbackFailuresForTesting > 0 {
                    rollbackFailuresForTesting -= 1
                    throw DatabaseError(
                        code: .ioError, message: "a ROLLBACK failure injected by a test", operation: operation,
                        sql: "ROLLBACK")
                }
                try execute("ROLLBACK", operation)
            } catch {
                if attempt == 1 { throw error }
                resetStatements()
            }
        }
    }

    /// Resets every cached statement, which ends those still running.
    private func resetStatements() {
        for index in 0..<Query.allCases.count {
            // SAFETY: a slot of `queries`, under this connection's lock (the invariant there).
            unsafe queries[index]?.reset()
        }
        for statement in statements.values { statement.reset() }
    }

    /// Runs SQL with no parameters and no rows of interest.
    func execute(_ sql: String, _ operation: DatabaseError.Operation) throws(DatabaseError) {
        let statement = try prepared(sql, operation)
        defer { statement.reset() }
        while try statement.step(operation) {}
    }

    /// The first column of each row of `sql`, as text.
    func rows(_ sql: String, _ operation: DatabaseError.Operation) throws(DatabaseError) -> [String] {
        let statement = try prepared(sql, operation)
        defer { statement.reset() }
        var rows: [String] = []
        while try statement.step(operation) {
            rows.append(String(decoding: statement.bytes(0), as: UTF8.self))
        }
        return rows
    }

    /// The problems `PRAGMA integrity_check` finds, empty when the file is sound. Where
    /// the damage stops the check itself (SQLITE_CORRUPT while stepping), the problems
    /// found so far are returned with SQLite's message last: a corrupt file is a finding
    /// of this check, not a failure of it.
    func integrityProblems(_ operation: DatabaseError.Operation) throws(DatabaseError) -> [String] {
        let statement = try prepared("PRAGMA integrity_check", operation)
        defer { statement.reset() }
        var rows: [String] = []
        do throws(DatabaseError) {
            while try statement.step(operation) {
                rows.append(String(decoding: statement.bytes(0), as: UTF8.self))
            }
        } catch  where error.code.primary == .corrupt {
            rows.append(error.message)
        }
        return rows == ["ok"] ? [] : rows
    }

    /// The cached statement of `query`, prepared on first use.
    func prepared(_ query: Query, _ operation: DatabaseError.Operation) throws(DatabaseError) -> Statement {
        // SAFETY: a slot of `queries`, under this connection's lock (the invariant there).
        if let cached = unsafe queries[query.rawValue] {
            return cached
        }
        let statement = try prepare(query.sql, operation)
        unsafe queries[query.rawValue] = statement
        return statement
    }

    /// The cached statement for `sql`, prepared on first use.
    func prepared(_ sql: String, _ operation: DatabaseError.Operation) throws(DatabaseError) -> Statement {
        if let cached = statements[sql] {
            return cached
        }
        let statement = try prepare(sql, operation)
        statements[sql] = statement
        return statement
    }

    /// A new prepared statement for `sql`, finalized when the last reference to it goes.
    private func prepare(_ sql: String, _ operation: DatabaseError.Operation) throws(DatabaseError) -> Statement {
        var raw: OpaquePointer?
        // SAFETY: the SQL is a NUL-terminated string valid during the call; -1 lets SQLite
        // read to the NUL. `raw` is NULL or a statement this connection finalizes.
        let status = unsafe sql.withCString {
            unsafe sqlite3_prepare_v3(handle, $0, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        }
        guard status == SQLITE_OK, let raw = unsafe raw else { throw failure(status, operation, sql: sql) }
        return unsafe Statement(adopting: raw, sql: sql, connection: self)
    }

    /// Drops every cached statement, which finalizes it.
    private func finalizeStatements() {
        for index in 0..<Query.allCases.count {
            // SAFETY: a slot of `queries`, under this connection's lock (the invariant there).
            unsafe queries[index] = nil
        }
        statements.removeAll()
    }

    /// The largest value SQLite accepts on this connection, in bytes.
    var lengthLimit: Int {
        // SAFETY: reads a setting of the open handle (the invariant at `handle`).
        Int(unsafe sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, -1))
    }

    /// Rows changed by the last completed INSERT, UPDATE or DELETE.
    var changedRows: Int {
        // SAFETY: reads a count kept by the open handle (the invariant at `handle`).
        Int(unsafe sqlite3_changes64(handle))
    }

    /// Whether a transaction is open; never on a closed connection.
    var inTransaction: Bool {
        guard isOpen else { return false }
        // SAFETY: reads a flag of the open handle (the invariant at `handle`).
        return unsafe sqlite3_get_autocommit(handle) == 0
    }

    /// Starts recording changes made through this connection.
    func installUpdateHook() {
        guard !isObservingChanges else { return }
        // SAFETY: the hook's context is this connection's recorder, unretained: the hook is
        // removed before the connection (and its recorder) goes, and it runs only inside
        // sqlite3_step on this connection, under the lock that guards it.
        unsafe sqlite3_update_hook(handle, updateHookTrampoline, Unmanaged.passUnretained(changes).toOpaque())
        isObservingChanges = true
    }

    /// Stops recording changes and forgets those not yet published.
    func removeUpdateHook() {
        guard isObservingChanges else { return }
        // SAFETY: uninstalls the hook on the open handle; SQLite drops the context pointer.
        unsafe sqlite3_update_hook(handle, nil, nil)
        isObservingChanges = false
        changes.discard()
    }
}

private let updateHookTrampoline:
    @convention(c) (
        UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, sqlite3_int64
    ) -> Void = { context, operation, _, _, _ in
        // SAFETY: the context is the recorder of the connection that installed the hook (see
        // installUpdateHook).
        guard let context = unsafe context else { return }
        let kind: Change.Kind =
            switch operation {
            case SQLITE_INSERT: .inserted
            case SQLITE_DELETE: .deleted
            default: .updated
            }
        unsafe Unmanaged<ChangeRecorder>.fromOpaque(context).takeUnretainedValue().record(kind)
    }
