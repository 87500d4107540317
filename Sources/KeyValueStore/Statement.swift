// A prepared statement of one connection: binding values and reading columns.

import CSQLite
import SafeFFI

/// A prepared statement, finalized when its connection drops it. Bound bytes are copied
/// by SQLite (SQLITE_TRANSIENT); column bytes are copied out before the next step.
@safe
final class Statement {
    // SAFETY (invariant, for every `unsafe` call on it below): `handle` is a statement of
    // `connection`, finalized only in deinit, used under the connection's lock.
    private let handle: OpaquePointer
    /// The statement's SQL, reported with its errors.
    let sql: String
    private unowned let connection: Connection

    @unsafe
    init(adopting handle: OpaquePointer, sql: String, connection: Connection) {
        unsafe self.handle = handle
        self.sql = sql
        self.connection = connection
    }

    deinit {
        // SAFETY: the statement is finalized exactly once, here.
        unsafe sqlite3_finalize(handle)
    }

    /// Binds bytes with an explicit 64-bit length, so NUL bytes are kept and nothing is
    /// truncated: as a BLOB, or as TEXT (the bytes of text, compared byte by byte).
    func bind(
        _ index: Int32, bytes: [UInt8], asText: Bool = false, _ operation: DatabaseError.Operation
    ) throws(DatabaseError) {
        try bind(index, bytes.span, asText: asText, operation)
    }

    /// Binds a string's UTF-8 bytes as TEXT, without copying a native string first.
    func bind(_ index: Int32, utf8 string: String, _ operation: DatabaseError.Operation) throws(DatabaseError) {
        var string = string
        string.makeContiguousUTF8()
        try bind(index, string.utf8.span, asText: true, operation)
    }

    /// Binds `bytes`; the error leaves the buffer's closure typed, so no Result is built.
    private func bind(
        _ index: Int32, _ bytes: Span<UInt8>, asText: Bool, _ operation: DatabaseError.Operation
    ) throws(DatabaseError) {
        // SAFETY: the buffer is valid for the call; bindRaw copies it.
        try unsafe bytes.withUnsafeBytes { (buffer) throws(DatabaseError) in
            try unsafe bindRaw(index, buffer, asText: asText, operation)
        }
    }

    @unsafe
    private func bindRaw(
        _ index: Int32, _ buffer: UnsafeRawBufferPointer, asText: Bool, _ operation: DatabaseError.Operation
    ) throws(DatabaseError) {
        // The connection's limit, read through the statement: loading the unowned
        // `connection` would retain it, for every bind.
        // SAFETY: sqlite3_db_handle returns the statement's open connection (the invariant
        // at `handle`), whose setting is read by value.
        let limit = Int(unsafe sqlite3_limit(sqlite3_db_handle(handle), SQLITE_LIMIT_LENGTH, -1))
        guard buffer.count <= limit else {
            throw .overLengthLimit(size: buffer.count, limit: limit, operation: operation, sql: sql)
        }
        // SAFETY: SQLITE_TRANSIENT makes SQLite copy the bytes before returning. A
        // non-NULL pointer is passed even for zero bytes, so the value is an empty BLOB,
        // not NULL (SQLite reads no byte of it).
        let base = unsafe buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)
        let status =
            asText
            ? unsafe sqlite3_bind_text64(
                handle, index, base?.assumingMemoryBound(to: CChar.self), UInt64(buffer.count), csqlite_transient(),
                UInt8(SQLITE_UTF8))
            : unsafe sqlite3_bind_blob64(handle, index, base, UInt64(buffer.count), csqlite_transient())
        guard status == SQLITE_OK else { throw connection.failure(status, operation, sql: sql) }
    }

    /// Steps once: `true` for a row, `false` when done.
    func step(_ operation: DatabaseError.Operation) throws(DatabaseError) -> Bool {
        // SAFETY: steps the prepared statement (the invariant at `handle`); bound bytes were
        // copied by SQLite at bind time.
        let status = unsafe sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.failure(status, operation, sql: sql)
        }
    }

    /// A copy of column `index` as bytes (a NULL column is empty).
    func bytes(_ index: Int32) -> [UInt8] {
        // SAFETY: the blob pointer is valid until the next step, reset or finalize; it is
        // copied here, with the length SQLite reports, before any of those.
        let count = Int(unsafe sqlite3_column_bytes(handle, index))
        guard count > 0, let blob = unsafe sqlite3_column_blob(handle, index) else { return [] }
        return unsafe Array(UnsafeRawBufferPointer(start: blob, count: count))
    }

    /// Column `index` decoded as strict UTF-8 straight from SQLite's buffer (one copy, into
    /// the String): `nil` with the offset of the first invalid byte when it is not UTF-8.
    func text(_ index: Int32) -> (text: String?, invalidOffset: Int?) {
        // SAFETY: as in bytes(_:): valid until the next step, reset or finalize, none of
        // which happens while the span below lives; the bytes are copied into the String.
        let count = Int(unsafe sqlite3_column_bytes(handle, index))
        guard count > 0, let blob = unsafe sqlite3_column_blob(handle, index) else { return ("", nil) }
        let bytes = unsafe UnsafeBufferPointer(start: blob.assumingMemoryBound(to: UInt8.self), count: count).span
        // SafeFFI's strict decoder validates once, through the standard library's specialised
        // path; String(validating:as:) over a buffer runs an unspecialised generic, with
        // metadata look-ups on every get (db-get; docs/BENCHMARKS.md).
        do {
            return (try String(strictUTF8: bytes), nil)
        } catch {
            guard case .invalidUTF8(let offset) = error else {
                preconditionFailure("String(strictUTF8:) refuses only invalid UTF-8 (NUL bytes are kept): \(error)")
            }
            return (nil, offset)
        }
    }

    /// Column `index` as an integer.
    func int64(_ index: Int32) -> Int64 {
        // SAFETY: reads a column of the current row by value.
        unsafe sqlite3_column_int64(handle, index)
    }

    /// Resets the statement and clears its bindings, ready for the next use.
    func reset() {
        // SAFETY: both act on the statement alone (the invariant at `handle`).
        unsafe sqlite3_reset(handle)
        unsafe sqlite3_clear_bindings(handle)
    }
}
