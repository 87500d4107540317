// The SQL of the store, each statement prepared once per connection.

enum StoredValue {
    case text(String)
    case bytes([UInt8])
}

/// The store's statements. A connection keeps each one in its own slot, indexed by the raw
/// value: finding it costs an array index, where a dictionary keyed by the SQL would hash
/// the whole text on every call (db-get; docs/BENCHMARKS.md).
enum Query: Int, CaseIterable {
    case select, upsert, remove, countAll, scanFrom, scanRange, keysFrom, keysRange

    var sql: String {
        switch self {
        case .select: "SELECT value FROM kv WHERE key = ?1"
        case .upsert:
            "INSERT INTO kv (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        case .remove: "DELETE FROM kv WHERE key = ?1"
        case .countAll: "SELECT count(*) FROM kv"
        case .scanFrom: "SELECT key, value FROM kv WHERE key >= ?1 ORDER BY key"
        case .scanRange: "SELECT key, value FROM kv WHERE key >= ?1 AND key < ?2 ORDER BY key"
        case .keysFrom: "SELECT key FROM kv WHERE key >= ?1 ORDER BY key"
        case .keysRange: "SELECT key FROM kv WHERE key >= ?1 AND key < ?2 ORDER BY key"
        }
    }
}

/// The store's operations on its one table, `kv`: each runs one prepared ``Query`` on a
/// connection.
enum KVTable {

    static func value(of key: String, in connection: Connection, _ operation: DatabaseError.Operation)
        throws(DatabaseError) -> [UInt8]?
    {
        let statement = try connection.prepared(.select, operation)
        defer { statement.reset() }
        try statement.bind(1, utf8: key, operation)
        return try statement.step(operation) ? statement.bytes(0) : nil
    }

    /// The value of `key` as text, decoded from SQLite's buffer without an intermediate copy.
    static func text(of key: String, in connection: Connection, _ operation: DatabaseError.Operation)
        throws(DatabaseError) -> String?
    {
        let statement = try connection.prepared(.select, operation)
        defer { statement.reset() }
        try statement.bind(1, utf8: key, operation)
        guard try statement.step(operation) else { return nil }
        let (text, invalidOffset) = statement.text(0)
        guard let text else { throw .notText(key: key, offset: invalidOffset ?? 0) }
        return text
    }

    static func set(_ key: String, _ value: StoredValue, in connection: Connection) throws(DatabaseError) {
        let statement = try connection.prepared(.upsert, .set)
        defer { statement.reset() }
        let size =
            switch value {
            case .text(let text): text.utf8.count
            case .bytes(let bytes): bytes.count
            }
        let limit = connection.valueSizeLimit
        guard size <= limit else { throw .valueTooBig(size: size, limit: limit) }
        try statement.bind(1, utf8: key, .set)
        switch value {
        case .text(let text): try statement.bind(2, utf8: text, .set)
        case .bytes(let bytes): try statement.bind(2, bytes: bytes, .set)
        }
        _ = try connection.changes.attributing(to: connection.isObservingChanges ? key : nil) {
            () throws(DatabaseError) in try statement.step(.set)
        }
    }

    static func delete(_ key: String, in connection: Connection) throws(DatabaseError) -> Bool {
        let statement = try connection.prepared(.remove, .delete)
        defer { statement.reset() }
        try statement.bind(1, utf8: key, .delete)
        _ = try connection.changes.attributing(to: connection.isObservingChanges ? key : nil) {
            () throws(DatabaseError) in try statement.step(.delete)
        }
        return connection.changedRows > 0
    }

    static func count(in connection: Connection) throws(DatabaseError) -> Int {
        let statement = try connection.prepared(.countAll, .count)
        defer { statement.reset() }
        _ = try statement.step(.count)
        return Int(statement.int64(0))
    }

    /// The entries whose keys start with `prefix`, in key order.
    static func scan(prefix: String, in connection: Connection) throws(DatabaseError) -> [(key: String, value: [UInt8])]
    {
        try rows(withPrefix: prefix, in: connection, .scanFrom, .scanRange) { (statement) throws(DatabaseError) in
            (try key(of: statement), statement.bytes(1))
        }
    }

    /// The keys that start with `prefix`, in key order; no value is read.
    static func keys(prefix: String, in connection: Connection) throws(DatabaseError) -> [String] {
        try rows(withPrefix: prefix, in: connection, .keysFrom, .keysRange, key(of:))
    }

    /// Column 0 of the current row, a key, which the store keeps as UTF-8 text.
    private static func key(of statement: Statement) throws(DatabaseError) -> String {
        guard let key = statement.text(0).text else { throw .keyNotText }
        return key
    }

    /// Each row of `from` (the keys from `prefix` on), or of `range` (the keys from
    /// `prefix` up to its successor), read by `row`.
    private static func rows<Row>(
        withPrefix prefix: String, in connection: Connection, _ from: Query, _ range: Query,
        _ row: (Statement) throws(DatabaseError) -> Row
    ) throws(DatabaseError) -> [Row] {
        let lower = Array(prefix.utf8)
        let upper = successor(of: lower)
        let statement = try connection.prepared(upper == nil ? from : range, .scan)
        defer { statement.reset() }
        try statement.bind(1, bytes: lower, asText: true, .scan)
        if let upper {
            try statement.bind(2, bytes: upper, asText: true, .scan)
        }
        var rows: [Row] = []
        while try statement.step(.scan) {
            rows.append(try row(statement))
        }
        return rows
    }

    /// The smallest byte string greater than every string starting with `prefix`, or nil
    /// when there is none ("" or all 0xFF).
    static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }
}
