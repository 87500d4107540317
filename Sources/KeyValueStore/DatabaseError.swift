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
    /// SQLITE_BUSY: the database is locked by another connection, past the busy timeout.
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
    /// SQLITE_MISMATCH: a stored value is not of the kind asked for (text that is not UTF-8).
    public static let mismatch = SQLiteResultCode(rawValue: SQLITE_MISMATCH)
    /// SQLITE_MISUSE: the database was used wrongly (after close, or re-entered).
    public static let misuse = SQLiteResultCode(rawValue: SQLITE_MISUSE)
    /// SQLITE_NOTADB: the file is not a database.
    public static let notADatabase = SQLiteResultCode(rawValue: SQLITE_NOTADB)

    /// SQLite's English description of the code. The corresponding C function is `sqlite3_errstr`.
    public var description: String {
        // SAFETY: sqlite3_errstr returns a static string.
        let text = unsafe sqlite3_errstr(rawValue).flatMap { try? unsafe String(strictCString: $0) }
        return text ?? "SQLite result code \(rawValue)"
    }
}

/// A failed database operation: SQLite's extended result code, a message a person can act
/// on, and the operation that failed.
///
/// Failures found on the Swift side use SQLite's codes for the same conditions: a path
/// holding a NUL byte is ``SQLiteResultCode/cantOpen``; a value over the length limit is
/// ``SQLiteResultCode/tooBig``; a stored value read as text that is not UTF-8 is
/// ``SQLiteResultCode/mismatch``; use after `close()` or from inside the database's own
/// transaction is ``SQLiteResultCode/misuse``.
public struct DatabaseError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// SQLite's extended result code.
    public let code: SQLiteResultCode
    /// What went wrong, from SQLite (`sqlite3_errmsg`) or from KeyValueStore.
    public let message: String
    /// The operation that failed: `open`, `get`, `set`, `delete`, `count`, `scan`,
    /// `transaction`, `close`, `changes`.
    public let operation: String

    /// Creates an error; KeyValueStore makes these, tests compare against them.
    public init(code: SQLiteResultCode, message: String, operation: String) {
        self.code = code
        self.message = message
        self.operation = operation
    }

    public var description: String {
        "\(operation) failed: \(message) (\(code), code \(code.rawValue))"
    }

    static func closed(_ operation: String) -> DatabaseError {
        DatabaseError(code: .misuse, message: "the database is closed", operation: operation)
    }

    static func reentered(_ operation: String) -> DatabaseError {
        DatabaseError(
            code: .misuse,
            message: "the database was used from inside its own transaction; use the transaction's methods",
            operation: operation)
    }
}
