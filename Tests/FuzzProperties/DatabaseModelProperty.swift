// A sequence of database operations from arbitrary bytes, checked after every step
// against a dictionary that models what the database must hold.

import KeyValueStore

public final class DatabaseModelProperty: FuzzProperty, Sendable {
    public static let targetName = "FuzzDatabaseModel"

    /// Keys from a small alphabet (so operations meet), NUL and non-ASCII included.
    static let alphabet: [String] = ["a", "b", "a\0", "é", "ab", "\0", "key"]

    /// One database for every input, emptied first: opening one an input would spend the
    /// fuzzer's time in sqlite3_open.
    private let database: Database

    public init() throws {
        database = try Database.inMemory()
    }

    /// The input: operations, each an operation byte and a key byte, a set also a length
    /// byte and that many value bytes.
    public func check(_ input: [UInt8]) throws(PropertyViolation) {
        for key in Self.alphabet {
            _ = try perform("emptying: delete \(key.debugDescription)") { () throws(DatabaseError) in
                try database.delete(key)
            }
        }
        var model: [String: [UInt8]] = [:]
        var bytes = input.makeIterator()
        while let operation = bytes.next(), let keyIndex = bytes.next() {
            let key = Self.alphabet[Int(keyIndex) % Self.alphabet.count]
            switch operation % 5 {
            case 0:
                let length = Int(bytes.next() ?? 0) % 8
                let value = (0..<length).map { _ in bytes.next() ?? 0 }
                try perform("set \(key.debugDescription) to \(value)") { () throws(DatabaseError) in
                    try database.set(key, bytes: value)
                }
                model[key] = value
            case 1:
                let stored = try perform("get \(key.debugDescription)") { () throws(DatabaseError) in
                    try database.bytes(forKey: key)
                }
                try require(
                    stored == model[key],
                    "get \(key.debugDescription): \(String(describing: stored)), the model \(String(describing: model[key]))"
                )
            case 2:
                let existed = try perform("delete \(key.debugDescription)") { () throws(DatabaseError) in
                    try database.delete(key)
                }
                let modelled = model.removeValue(forKey: key) != nil
                try require(
                    existed == modelled, "delete \(key.debugDescription): existed \(existed), the model \(modelled)")
            case 3:
                let count = try perform("count") { () throws(DatabaseError) in try database.count() }
                try require(count == model.count, "count: \(count), the model \(model.count)")
            default:
                let prefix = String(key.prefix(1))
                let keys = try perform("keys with prefix \(prefix.debugDescription)") { () throws(DatabaseError) in
                    try database.keys(withPrefix: prefix)
                }
                let expected = model.keys.filter { $0.utf8.starts(with: prefix.utf8) }
                    .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                try require(
                    keys == expected, "keys with prefix \(prefix.debugDescription): \(keys), the model \(expected)")
            }
        }
    }

    /// Runs one database operation; any error is a violation: every operation here is valid.
    private func perform<T>(
        _ description: @autoclosure () -> String, _ operation: () throws(DatabaseError) -> T
    ) throws(PropertyViolation) -> T {
        do {
            return try operation()
        } catch {
            throw PropertyViolation("\(description()) failed: \(error)")
        }
    }
}
