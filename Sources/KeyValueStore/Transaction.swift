// The operations available inside `Database.transaction`.

/// The database inside one transaction: reads see its own uncommitted writes. It exists
/// only during the transaction's closure and cannot be kept.
public struct Transaction: ~Copyable {
    private let connection: Connection

    init(connection: Connection) {
        self.connection = connection
    }

    /// The value of `key` as text, or `nil` when missing.
    public func get(_ key: String) throws(DatabaseError) -> String? {
        try Queries.text(of: key, in: connection, .get)
    }

    /// The value of `key` as bytes, or `nil` when missing.
    public func bytes(forKey key: String) throws(DatabaseError) -> [UInt8]? {
        try Queries.value(of: key, in: connection, .get)
    }

    /// Sets `key` to a text value, committed with the transaction.
    public func set(_ key: String, _ value: String) throws(DatabaseError) {
        try Queries.set(key, .text(value), in: connection)
    }

    /// Sets `key` to a byte value, committed with the transaction.
    public func set(_ key: String, bytes value: [UInt8]) throws(DatabaseError) {
        try Queries.set(key, .bytes(value), in: connection)
    }

    /// Deletes `key`; returns whether it existed.
    @discardableResult
    public func delete(_ key: String) throws(DatabaseError) -> Bool {
        try Queries.delete(key, in: connection)
    }

    /// The number of keys, counting this transaction's writes.
    public func count() throws(DatabaseError) -> Int {
        try Queries.count(in: connection)
    }
}

@available(*, unavailable, message: "a transaction belongs to the thread running it")
extension Transaction: Sendable {}
