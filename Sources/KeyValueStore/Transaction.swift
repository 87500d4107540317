// The operations available inside `Database.transaction`.

/// The database inside one transaction: reads see its own uncommitted writes. It exists
/// only during the transaction's closure and cannot be kept.
///
/// SQLite ends a whole transaction by itself after some failures — an I/O error, a full
/// disk, no memory (see "Response To Errors Within A Transaction" in SQLite's
/// documentation). From then on every operation of this transaction throws
/// ``DatabaseError`` with the code of that first failure and writes nothing: a body that
/// catches a failure and goes on cannot write outside the transaction, nor read the state
/// after SQLite's rollback as if it were its own. `Database.transaction` then throws that
/// first failure.
public struct Transaction: ~Copyable {
    private let connection: Connection

    init(connection: Connection) {
        self.connection = connection
    }

    /// The value of `key` as text, or `nil` when missing.
    public func get(_ key: String) throws(DatabaseError) -> String? {
        try run(.get) { (connection) throws(DatabaseError) in try KVTable.text(of: key, in: connection, .get) }
    }

    /// The value of `key` as bytes, or `nil` when missing.
    public func bytes(forKey key: String) throws(DatabaseError) -> [UInt8]? {
        try run(.get) { (connection) throws(DatabaseError) in try KVTable.value(of: key, in: connection, .get) }
    }

    /// Sets `key` to a text value, committed with the transaction.
    public func set(_ key: String, _ value: String) throws(DatabaseError) {
        try run(.set) { (connection) throws(DatabaseError) in try KVTable.set(key, .text(value), in: connection) }
    }

    /// Sets `key` to a byte value, committed with the transaction.
    public func set(_ key: String, bytes value: [UInt8]) throws(DatabaseError) {
        try run(.set) { (connection) throws(DatabaseError) in try KVTable.set(key, .bytes(value), in: connection) }
    }

    /// Deletes `key`; returns whether it existed.
    @discardableResult
    public func delete(_ key: String) throws(DatabaseError) -> Bool {
        try run(.delete) { (connection) throws(DatabaseError) in try KVTable.delete(key, in: connection) }
    }

    /// The number of keys, counting this transaction's writes.
    public func count() throws(DatabaseError) -> Int {
        try run(.count) { (connection) throws(DatabaseError) in try KVTable.count(in: connection) }
    }

    /// Runs one operation inside the transaction, unless SQLite has ended it; a failure
    /// after which SQLite ended it is kept, to refuse every later operation.
    private func run<R>(
        _ operation: DatabaseError.Operation, _ body: (Connection) throws(DatabaseError) -> R
    ) throws(DatabaseError) -> R {
        if let failure = connection.transactionEndedBy {
            throw .transactionEnded(operation, by: failure)
        }
        do throws(DatabaseError) {
            return try body(connection)
        } catch {
            if !connection.inTransaction {
                connection.transactionEndedBy = error
            }
            throw error
        }
    }
}

@available(*, unavailable, message: "a transaction belongs to the thread running it")
extension Transaction: Sendable {}
