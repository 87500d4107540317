// The writer connection of a database, reached in arrival order, within one deadline: part
// of the C layer (see Connection.swift), over CKeyValueWriteQueue.

import CKeyValueWriteQueue

/// The one writer connection of a ``Database`` and the queue in front of it.
///
/// An operation gets one deadline — now plus the busy timeout — for all of its waits:
/// for the threads of this process ahead of it (first come, first served), for the
/// processes ahead of it (a turn kept on the sidecar file `<database>-wlock`, first come,
/// first served, for file databases), and for SQLite's own lock (a busy handler that
/// gives up at the same deadline). The operation itself, once it runs, is not limited.
@safe
final class WriterSlot: @unchecked Sendable {
    // @unchecked Sendable, SAFETY (invariant, for every `unsafe` use below): `lock` and
    // `turn` are created in init and freed once, in deinit; `connection` is read and
    // written only by the thread that holds `lock` (kvq_lock_until returned KVQ_LOCKED),
    // and `turn` is used only by that thread too.
    private let lock: OpaquePointer
    private var turn: OpaquePointer?
    private var connection: Connection?
    /// Why `connection` is nil while the database is open, after ``lose(_:)``.
    private var loss: WriterLoss?
    /// Whether ``take(_:)`` has run: the database is closed.
    private var taken = false
    private let busyTimeout: Duration
    /// `busyTimeout` in nanoseconds, converted once.
    private let busyTimeoutNanoseconds: Int64

    /// Why there is no turn between processes (in memory, or its lock file cannot be
    /// used), or `nil` when there is one.
    let turnUnavailable: String?

    /// Puts `connection` behind the queue, with a turn between processes when its database
    /// is a file whose lock file can be used.
    init(_ connection: Connection, busyTimeout: Duration) throws(DatabaseError) {
        // SAFETY: the turn is this slot's from here: closed in deinit, or below on failure.
        let (turn, unavailable) = unsafe connection.openWriteTurn()
        turnUnavailable = unavailable
        // SAFETY: a new lock, NULL only when out of memory; freed once, in deinit.
        guard let lock = unsafe kvq_lock_create() else {
            // SAFETY: the turn is this slot's, and no slot will close it.
            unsafe kvq_turn_close(turn)
            throw DatabaseError(code: .noMemory, message: "could not allocate the write queue", operation: .open)
        }
        // SAFETY: the lock and the turn are this slot's (the invariant above).
        unsafe self.lock = lock
        unsafe self.turn = turn
        self.connection = connection
        self.busyTimeout = Self.effective(busyTimeout)
        self.busyTimeoutNanoseconds = Self.nanoseconds(of: busyTimeout)
    }

    /// Runs `body`, the check and preparation of the file as it opens, while no other
    /// process using this library on the file runs its own (the turn's opening lock), so
    /// that processes opening a new file at the same moment do so one after the other.
    func whileOpening(_ body: () throws(DatabaseError) -> Void) throws(DatabaseError) {
        // SAFETY: the turn is used by one thread: the database is not yet shared.
        guard let turn = unsafe turn else { return try body() }
        switch unsafe kvq_turn_lock_opening(turn, Self.deadline(after: busyTimeoutNanoseconds)) {
        case Int32(KVQ_NO_TURN): throw .busyOpening(timeout: busyTimeout)
        case Int32(KVQ_TURN_UNAVAILABLE): return try body()
        default: break
        }
        // SAFETY: as above; the opening lock taken above is released once.
        defer { unsafe kvq_turn_unlock_opening(turn) }
        try body()
    }

    deinit {
        // SAFETY: no thread holds or waits for the lock once the slot is gone; both are freed
        // once, here.
        unsafe kvq_turn_close(turn)
        unsafe kvq_lock_destroy(lock)
    }

    /// Runs `body` with the writer connection, after the threads and (when `writes`) the
    /// processes that came first.
    ///
    /// - Throws: the queue's own errors — busy past the deadline (in this process or
    ///   another), a closed or lost writer, a call from inside the database's own
    ///   transaction — or what `body` throws.
    func withConnection<R>(
        _ operation: DatabaseError.Operation, writes: Bool, _ body: (Connection) throws(DatabaseError) -> R
    ) throws(DatabaseError) -> R {
        let deadline = Self.deadline(after: busyTimeoutNanoseconds)
        // SAFETY: the lock is alive (the invariant above); a KVQ_LOCKED result is paired
        // with kvq_unlock on every path below.
        switch unsafe kvq_lock_until(lock, deadline) {
        case Int32(KVQ_REENTERED): throw .reentered(operation)
        case Int32(KVQ_TIMED_OUT): throw .busyInProcess(operation, timeout: busyTimeout)
        default: break
        }
        // SAFETY: the lock's holder ends the operation (the invariant above); the turn is
        // kept or released in the same step as the lock's hand-over.
        defer { unsafe kvq_unlock_after_operation(lock, turn) }
        guard let connection else { throw loss?.error(operation) ?? .closed(operation) }
        if writes, let turn = unsafe turn, unsafe kvq_turn_is_held(turn) == 0 {
            // SAFETY: used by the lock's holder only (the invariant above).
            defer { unsafe kvq_turn_leave_line(turn) }
            waiting: while true {
                switch unsafe kvq_turn_acquire(turn, deadline) {
                case Int32(KVQ_TURN), Int32(KVQ_TURN_UNAVAILABLE):
                    break waiting
                case Int32(KVQ_NO_TURN):
                    throw .busyOtherProcesses(operation, timeout: busyTimeout)
                default:
                    // The holder kept the turn 100 ms without a break: try once without
                    // waiting. If this connection's busy handler gave up, SQLite's lock is
                    // really held: keep the place in line. Any other outcome is the body's.
                    connection.startProbe()
                    do throws(DatabaseError) {
                        return try body(connection)
                    } catch {
                        // The attempt may have replaced or lost the connection (a failed ROLLBACK).
                        guard connection.probeFoundLock, self.connection === connection else { throw error }
                    }
                }
            }
        }
        connection.startOperation(until: deadline)
        return try body(connection)
    }

    /// Replaces the connection, from inside an operation (the caller holds the lock).
    func replace(with connection: Connection) {
        self.connection = connection
    }

    /// Drops the connection for good, from inside an operation (the caller holds the lock):
    /// every later operation is refused with `loss`'s error.
    func lose(_ loss: WriterLoss) {
        connection = nil
        self.loss = loss
    }

    /// Takes the connection out, waiting for the operation in progress (not for a deadline),
    /// and releases the turn: `nil` when the database was closed already, `.some(nil)` when
    /// it had lost its connection (``lose(_:)``).
    ///
    /// - Throws: ``SQLiteResultCode/misuse`` from inside the database's own transaction.
    func take(_ operation: DatabaseError.Operation) throws(DatabaseError) -> Connection?? {
        // SAFETY: as in withConnection; the lock is released below on every path.
        switch unsafe kvq_lock_until(lock, .max) {
        case Int32(KVQ_REENTERED): throw .reentered(operation)
        default: break
        }
        defer { unsafe kvq_unlock(lock) }
        guard !taken else { return nil }
        taken = true
        loss = nil
        if let turn = unsafe turn {
            // SAFETY: used by the lock's holder only; released, and its descriptor closed,
            // once: the slot forgets it.
            unsafe kvq_turn_close(turn)
            unsafe self.turn = nil
        }
        defer { connection = nil }
        return .some(connection)
    }

    /// The timeout as it is applied, and reported in errors: a negative one is zero.
    static func effective(_ timeout: Duration) -> Duration {
        max(.zero, timeout)
    }

    /// The timeout as it is applied, in nanoseconds: a negative one is zero, one too long
    /// to count is `Int64.max` (forever).
    static func nanoseconds(of timeout: Duration) -> Int64 {
        let (seconds, attoseconds) = effective(timeout).components
        let (whole, tooLong) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (nanoseconds, tooLongStill) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return tooLong || tooLongStill ? .max : nanoseconds
    }

    /// The deadline, on `kvq_now`'s clock in nanoseconds, of an operation that starts now
    /// and may wait `nanoseconds` (from ``nanoseconds(of:)``); one too far away to count is
    /// forever.
    static func deadline(after nanoseconds: Int64) -> Int64 {
        let (deadline, past) = kvq_now().addingReportingOverflow(nanoseconds)
        return past ? .max : deadline
    }
}
