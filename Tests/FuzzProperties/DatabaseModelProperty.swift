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

    public init() throws(DatabaseError) {
        database = try Database.inMemory()
    }

    /// The input: operations, each an operation byte and a key byte; a set also takes a
    /// length byte and that many value bytes; a transaction takes a byte saying how many
    /// sets and deletes it holds (0–3) and whether it commits, then those operations.
    public func check(_ input: [UInt8]) throws(PropertyViolation) {
        for key in Self.alphabet {
            _ = try perform("emptying: delete \(key.debugDescription)") { () throws(DatabaseError) in
                try database.delete(key)
            }
        }
        var model: [String: [UInt8]] = [:]
        var bytes = input.makeIterator()
        while let operation = bytes.next(), let keyIndex = bytes.next() {
            let key = Self.key(keyIndex)
            switch operation % 7 {
            case 0:
                let value = Self.value(from: &bytes)
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
            case 4:
                let prefix = String(key.prefix(1))
                let entries = try perform("entries with prefix \(prefix.debugDescription)") {
                    () throws(DatabaseError) in try database.entries(withPrefix: prefix)
                }
                let expected = model.filter { $0.key.utf8.starts(with: prefix.utf8) }
                    .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                try require(
                    entries.map(\.key) == expected.map(\.key) && entries.map(\.value) == expected.map(\.value),
                    "entries with prefix \(prefix.debugDescription): \(entries), the model \(expected)")
            case 5:
                try checkText(of: key, model: model)
            default:
                try transaction(first: key, &bytes, model: &model)
            }
        }
    }

    /// `get(_:)`: the stored text when the value is UTF-8; a `mismatch` error when it is
    /// not — never a repaired string.
    private func checkText(of key: String, model: [String: [UInt8]]) throws(PropertyViolation) {
        let result = Result { () throws(DatabaseError) in try database.get(key) }
        switch (result, model[key]) {
        case (.success(let text), let stored?):
            let expected = String(validating: stored, as: UTF8.self)
            try require(
                expected != nil && text == expected,
                "get \(key.debugDescription) as text: \(String(describing: text)), stored \(stored)")
        case (.success(let text), nil):
            try require(
                text == nil, "get \(key.debugDescription) as text: \(String(describing: text)), the model nothing")
        case (.failure(let error), let stored):
            try require(
                error.code == .mismatch && stored.map { String(validating: $0, as: UTF8.self) == nil } == true,
                "get \(key.debugDescription) as text failed with \(error), stored \(String(describing: stored))")
        }
    }

    /// A transaction of up to three sets and deletes, each read back inside it, then
    /// committed (the model takes its changes) or rolled back by a thrown error (the model
    /// stays as it was).
    private func transaction(
        first key: String, _ bytes: inout IndexingIterator<[UInt8]>, model: inout [String: [UInt8]]
    ) throws(PropertyViolation) {
        let shape = bytes.next() ?? 0
        let commits = shape & 0x80 == 0
        var operations: [(key: String, value: [UInt8]?)] = []
        var nextKey = key
        for index in 0..<Int(shape % 4) {
            if index > 0 { nextKey = Self.key(bytes.next() ?? 0) }
            let isSet = (bytes.next() ?? 0) % 2 == 0
            operations.append((nextKey, isSet ? Self.value(from: &bytes) : nil))
        }
        struct RollBack: Error {}
        var staged = model
        do {
            try database.transaction { transaction in
                for (key, value) in operations {
                    if let value {
                        try transaction.set(key, bytes: value)
                        staged[key] = value
                    } else {
                        let existed = try transaction.delete(key)
                        let modelled = staged.removeValue(forKey: key) != nil
                        try require(
                            existed == modelled,
                            "delete \(key.debugDescription) in a transaction: existed \(existed), the model \(modelled)"
                        )
                    }
                    let stored = try transaction.bytes(forKey: key)
                    try require(
                        stored == staged[key],
                        "get \(key.debugDescription) in a transaction: \(String(describing: stored)), the model \(String(describing: staged[key]))"
                    )
                }
                try require(try transaction.count() == staged.count, "count in a transaction")
                if !commits { throw RollBack() }
            }
        } catch let violation as PropertyViolation {
            throw violation
        } catch is RollBack {
            staged = model
        } catch {
            throw PropertyViolation("a transaction of \(operations) failed: \(error)")
        }
        model = staged
        let count = try perform("count after a transaction") { () throws(DatabaseError) in try database.count() }
        try require(
            count == model.count,
            "count after a transaction that \(commits ? "committed" : "rolled back"): \(count), the model \(model.count)"
        )
        for (key, _) in operations {
            let stored = try perform("get \(key.debugDescription) after a transaction") { () throws(DatabaseError) in
                try database.bytes(forKey: key)
            }
            try require(
                stored == model[key],
                "get \(key.debugDescription) after a transaction that \(commits ? "committed" : "rolled back"): \(String(describing: stored)), the model \(String(describing: model[key]))"
            )
        }
    }

    private static func key(_ byte: UInt8) -> String {
        alphabet[Int(byte) % alphabet.count]
    }

    /// A value of 0–7 bytes: a length byte, then the bytes.
    private static func value(from bytes: inout IndexingIterator<[UInt8]>) -> [UInt8] {
        let length = Int(bytes.next() ?? 0) % 8
        return (0..<length).map { _ in bytes.next() ?? 0 }
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
