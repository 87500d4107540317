// The one error type of KeyValueStore, in SQLite's own vocabulary.

import CSQLite

/// An SQLite result code, extended (`SQLITE_IOERR_FSYNC`, not just `SQLITE_IOERR`).
public struct SQLiteResultCode: RawRepresentable, Equatable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The primary code: the low byte of an extended code.
    public var primary: SQLiteResultCode { SQLiteResultCode(rawValue: rawValue & 0xFF) }

    /// SQLITE_ERROR: a generic error, such as an SQL error.
    public static let error = SQLiteResultCode(rawValue: SQLITE_ERROR)
    /// SQLITE_BUSY: the database stayed locked — by another thread, process or connection —
    /// for the whole busy timeout.
    public static let busy = SQLiteResultCode(rawValue: SQLITE_BUSY)
    /// SQLITE_NOMEM: an allocation failed.
    public static let noMemory = SQLiteResultCode(rawValue: SQLITE_NOMEM)
    /// SQLITE_READONLY: a write to a read-only database.
    public static let readOnly = SQLiteResultCode(rawValue: SQLITE_READONLY)
    /// SQLITE_IOERR: the operating system reported an I/O error.
    public static let ioError = SQLiteResultCode(rawValue: SQLITE_IOERR)
    /// SQLITE_CORRUPT: the database file is malformed.
    public static let corrupt = SQLiteResultCode(rawValue: SQLITE_CORRUPT)
    /// SQLITE_FULL: the disk is full.
    public static let full = SQLiteResultCode(rawValue: SQLITE_FULL)
    /// SQLITE_CANTOPEN: the database file cannot be opened — or its path is unusable.
    public static let cantOpen = SQLiteResultCode(rawValue: SQLITE_CANTOPEN)
    /// SQLITE_TOOBIG: a value is larger than the database's length limit.
    public static let tooBig = SQLiteResultCode(rawValue: SQLITE_TOOBIG)
    /// SQLITE_CONSTRAINT: a constraint of the table refused the change, or the file holds
    /// entries that would break one.
    public static let constraint = SQLiteResultCode(rawValue: SQLITE_CONSTRAINT)
    /// SQLITE_MISMATCH: a stored value is not of the kind asked for (text that is not UTF-8).
    public static let mismatch = SQLiteResultCode(rawValue: SQLITE_MISMATCH)
    /// SQLITE_MISUSE: the database was used wrongly (after close, or re-entered).
    public static let misuse = SQLiteResultCode(rawValue: SQLITE_MISUSE)
    /// SQLITE_NOTADB: the file is not a database.
    public static let notADatabase = SQLiteResultCode(rawValue: SQLITE_NOTADB)

    /// SQLite's English description of the code. The corresponding C function is `sqlite3_errstr`.
    public var description: String {
        SQLite.errorString(rawValue) ?? "SQLite result code \(rawValue)"
    }
}

/// A failed database operation: SQLite's extended result code, a message a person can act
/// on, the operation that failed and, when SQLite was running a statement, its SQL.
///
/// Failures found on the Swift side use SQLite's codes for the same conditions: a path
/// holding a NUL byte is ``SQLiteResultCode/cantOpen``; a value over the length limit is
/// ``SQLiteResultCode/tooBig``; a stored value read as text that is not UTF-8 is
/// ``SQLiteResultCode/mismatch``; use after `close()` or from inside the database's own
/// transaction is ``SQLiteResultCode/misuse``. These carry no SQL: none ran.
public struct DatabaseError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The public operation of ``Database`` or ``Transaction`` that failed.
    public enum Operation: String, Equatable, Hashable, Sendable, CustomStringConvertible {
        /// Opening the database (``Database/init(path:options:)``, ``Database/inMemory(options:)``).
        case open
        /// Reading a value (`get`, `bytes(forKey:)`).
        case get
        /// Writing a value.
        case set
        /// Deleting a key.
        case delete
        /// Counting the keys.
        case count
        /// A prefix scan (`keys(withPrefix:)`, `entries(withPrefix:)`).
        case scan
        /// Beginning, committing or rolling back a transaction.
        case transaction
        /// Closing the database.
        case close
        /// Starting a change stream.
        case changes
        /// ``Database/checkIntegrity()``.
        case integrityCheck = "integrity_check"
        /// ``Database/journalMode()``.
        case journalMode = "journal_mode"

        public var description: String { rawValue }
    }

    /// SQLite's extended result code.
    public let code: SQLiteResultCode
    /// What went wrong, from SQLite (`sqlite3_errmsg`) or from KeyValueStore.
    public let message: String
    /// The operation that failed.
    public let operation: Operation
    /// The SQL SQLite was preparing or running when it failed, or `nil` when the failure
    /// was not in a statement (opening, closing, a refusal on the Swift side).
    public let sql: String?

    /// Creates an error. KeyValueStore makes these; within the package, tests build the
    /// ones they expect.
    package init(code: SQLiteResultCode, message: String, operation: Operation, sql: String? = nil) {
        self.code = code
        self.message = message
        self.operation = operation
        self.sql = sql
    }

    public var description: String {
        let failure = "\(operation) failed: \(message) (\(code), code \(code.rawValue))"
        guard let sql else { return failure }
        return "\(failure), while running `\(sql)`"
    }
}

// The errors KeyValueStore raises itself, each spelled once.
extension DatabaseError {
    static func closed(_ operation: Operation) -> DatabaseError {
        DatabaseError(code: .misuse, message: "the database is closed", operation: operation)
    }

    static func busyInProcess(_ operation: Operation, timeout: Duration) -> DatabaseError {
        DatabaseError(
            code: .busy,
            message:
                "the database is busy: other threads of this process kept its write connection for the whole busy timeout (\(timeout)), writing or waiting for the database's lock; retry later or raise Options.busyTimeout",
            operation: operation)
    }

    static func busyOtherProcesses(_ operation: Operation, timeout: Duration) -> DatabaseError {
        DatabaseError(
            code: .busy,
            message:
                "the database is busy: other processes kept its write turn for the whole busy timeout (\(timeout)); retry later or raise Options.busyTimeout",
            operation: operation)
    }

    static func busyOpening(timeout: Duration) -> DatabaseError {
        DatabaseError(
            code: .busy,
            message:
                "the database is busy: another opener of the file (a process, or another Database of this one) kept checking and preparing it for the whole busy timeout (\(timeout)), or waited that long for SQLite's lock while doing so; retry later or raise Options.busyTimeout",
            operation: .open)
    }

    /// What follows SQLite's own "database is locked".
    static func busyByOtherConnection(timeout: Duration) -> String {
        ": another connection held the database's lock for the whole busy timeout (\(timeout)) — a program outside this library's write queue, such as the sqlite3 shell, or a long transaction; retry later or raise Options.busyTimeout"
    }

    static func otherApplication(_ application: Int32) -> DatabaseError {
        let id = String(UInt32(bitPattern: application), radix: 16, uppercase: true)
        return DatabaseError(
            code: .notADatabase,
            message:
                "the file is another application's SQLite database (its application_id is 0x\(id), KeyValueStore's is 0x4B565331); it was left untouched",
            operation: .open)
    }

    static func otherApplicationTables(_ tables: [String]) -> DatabaseError {
        DatabaseError(
            code: .notADatabase,
            message:
                "the file is an SQLite database that is not KeyValueStore's: it holds tables other than kv (\(tables.joined(separator: ", "))); it was left untouched",
            operation: .open)
    }

    static func keysStoredTwice(_ keys: [String]) -> DatabaseError {
        DatabaseError(
            code: .constraint,
            message:
                "the file holds keys stored twice, as text and as bytes (\(keys.joined(separator: ", "))), which cannot both be kept when keys become text: delete one of each pair (sqlite3 shell: DELETE FROM kv WHERE key = CAST('name' AS BLOB)), then open it again; nothing was changed",
            operation: .open)
    }

    static func laterLayout(_ layout: Int32, supported: Int32) -> DatabaseError {
        DatabaseError(
            code: .notADatabase,
            message:
                "the file was written by a later version of KeyValueStore (layout \(layout); this version reads up to \(supported)); it was left untouched",
            operation: .open)
    }

    /// The refusal of every operation of a transaction after SQLite ended it by itself
    /// (after `failure`); it carries that failure's code.
    static func transactionEnded(_ operation: Operation, by failure: DatabaseError) -> DatabaseError {
        DatabaseError(
            code: failure.code,
            message:
                "SQLite rolled this transaction back after an earlier failure in it (\(failure)); nothing more is written in it: run the whole transaction again",
            operation: operation)
    }

    static func reentered(_ operation: Operation) -> DatabaseError {
        DatabaseError(
            code: .misuse,
            message: "the database was used from inside its own transaction; use the transaction's methods",
            operation: operation)
    }

    static let emptyPath = DatabaseError(
        code: .cantOpen, message: "the path is empty (use Database.inMemory() for a private database)",
        operation: .open)

    static func nulInPath(offset: Int) -> DatabaseError {
        DatabaseError(code: .cantOpen, message: "the path contains a NUL byte at offset \(offset)", operation: .open)
    }

    static func nulInVFSName(offset: Int) -> DatabaseError {
        DatabaseError(
            code: .cantOpen, message: "the VFS name contains a NUL byte at offset \(offset)", operation: .open)
    }

    static let noConnection = DatabaseError(
        code: .noMemory, message: "SQLite could not allocate a connection", operation: .open)

    static func badValueLimit(_ limit: Int, rowLimit: Int) -> DatabaseError {
        DatabaseError(
            code: .misuse,
            message:
                "Options.maximumValueSize must be between 0 and SQLite's row limit of \(rowLimit) bytes, got \(limit)",
            operation: .open)
    }

    static func valueTooBig(size: Int, limit: Int) -> DatabaseError {
        DatabaseError(
            code: .tooBig, message: "a value of \(size) bytes is larger than the database's limit of \(limit) bytes",
            operation: .set)
    }

    static func overLengthLimit(
        size: Int, limit: Int, operation: Operation, sql: String
    ) -> DatabaseError {
        DatabaseError(
            code: .tooBig, message: "\(size) bytes are more than SQLite's limit of \(limit) bytes for a key or value",
            operation: operation, sql: sql)
    }

    static func notText(key: String, offset: Int) -> DatabaseError {
        DatabaseError(
            code: .mismatch,
            message: "the value of key '\(key)' is not UTF-8 text (invalid byte at offset \(offset)); read it as bytes",
            operation: .get)
    }

    static let keyNotText = DatabaseError(code: .mismatch, message: "a stored key is not UTF-8 text", operation: .scan)
}

/// Why a ``Database`` has no writer connection left: its `ROLLBACK` failed twice, the
/// connection was closed to end the transaction, and no replacement could be opened (or,
/// in memory, none can be). Each later operation's error says so.
struct WriterLoss: Sendable {
    let rollback: DatabaseError
    let reopening: DatabaseError?

    func error(_ operation: DatabaseError.Operation) -> DatabaseError {
        let replacement =
            reopening.map { "a new connection could not be opened (\($0))" }
            ?? "an in-memory database cannot open a new one: its data was in that connection"
        return DatabaseError(
            code: rollback.code,
            message:
                "the database lost its writer connection: a ROLLBACK failed (\(rollback)), so the connection was closed to end the transaction, and \(replacement); close the database and open it again",
            operation: operation)
    }
}
