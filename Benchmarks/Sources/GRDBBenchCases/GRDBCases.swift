// The database cases through GRDB, for comparison: in a target of their own so the
// instruction budget (ffi-cases) builds and loads neither GRDB nor Foundation.

import FFIBenchCases
import Foundation
import GRDB

public enum GRDBCases {
    /// GRDB's get and durable set, with the settings KeyValueStore uses.
    public static func all(directory: String) -> [BenchCase] {
        [
            BenchCase("db-get-grdb", "the same get through GRDB (cached statement)") {
                let grdb = try open(directory)
                return .sync {
                    sink(
                        must("db-get-grdb") {
                            try grdb.read { db in
                                try Data.fetchOne(
                                    db.cachedStatement(sql: "SELECT value FROM kv WHERE key = ?"),
                                    arguments: [Data("key".utf8)]
                                ).map { String(decoding: $0, as: UTF8.self) }
                            }
                        })
                }
            },
            BenchCase("db-set-grdb", "the same durable write through GRDB") {
                let grdb = try open(directory)
                let counter = Counter()
                return .sync {
                    let key = "key-\(counter.next() & 1023)"
                    must("db-set-grdb") {
                        try grdb.writeWithoutTransaction { db in
                            try db.cachedStatement(
                                sql:
                                    "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                            ).execute(arguments: [Data(key.utf8), Data("value-0123456789".utf8)])
                        }
                    }
                }
            },
        ]
    }

    static func open(_ directory: String) throws -> DatabaseQueue {
        let grdb = try DatabaseQueue(path: "\(directory)/grdb.db")
        try grdb.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL")
            try db.execute(sql: "PRAGMA synchronous=FULL")
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL)")
            try db.execute(
                sql: "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)",
                arguments: [Data("key".utf8), Data("value-0123456789".utf8)])
        }
        return grdb
    }
}

/// The key counter of the write case; one thread runs a case at a time.
final class Counter: @unchecked Sendable {
    private var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}
