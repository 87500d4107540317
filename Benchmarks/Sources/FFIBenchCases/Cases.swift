// The benchmarked operations through the safe Swift API, named as in the C and Rust drivers.

import CBenchSupport
import CNative
import Foundation
import GRDB
import Glibc
import KeyValueStore
import Native
import PluginKit
import SafeFFI
import Synchronization

/// Runs a benchmarked operation that must not fail: a failure would make it look fast.
func must<T>(_ name: String, _ body: () throws -> T) -> T {
    do {
        return try body()
    } catch {
        fatalError("benchmark case \(name) failed: \(error)")
    }
}

/// A mutable box for cases that keep state between runs; each case runs on one thread.
final class Box<Value: ~Copyable>: @unchecked Sendable {
    var value: Value
    init(_ value: consuming Value) { self.value = value }
}

public enum Cases {
    /// Every case, in table order. `directory` holds the database files; `pluginPath` is
    /// the uppercase plugin library.
    public static func all(directory: String, pluginPath: String) throws -> [BenchCase] {
        try basics() + strings() + bulk() + events() + database(directory: directory) + plugin(pluginPath)
            + tips()
    }

    static func basics() -> [BenchCase] {
        let p1 = Native.Point(x: 0, y: 0)
        let p2 = Native.Point(x: 3, y: 4)
        let rect = Native.Rect(x1: 0, y1: 0, x2: 10, y2: 10)
        return [
            BenchCase("call", "performOperation(42): one plain call, int in, int out") {
                blackHole(must("call") { try performOperation(42) })
            },
            BenchCase("struct-by-value", "Point.distance(to:): two structs by value") {
                blackHole(p1.distance(to: p2))
            },
            BenchCase("struct-by-pointer", "Rect.contains: a struct by pointer, one by value") {
                blackHole(rect.contains(p1))
            },
        ]
    }

    static func strings() -> [BenchCase] {
        let s15 = String(repeating: "a", count: 15)
        let s16 = String(repeating: "a", count: 16)
        let s1k = String(repeating: "a", count: 1024)
        func stringIn(_ name: String, _ text: String) -> BenchCase {
            BenchCase(name, "cStringLength: a \(text.utf8.count)-byte Swift String into C (checked, strlen)") {
                blackHole(must(name) { try cStringLength(text) })
            }
        }
        func stringOutStatic(_ length: Int) -> BenchCase {
            // The address travels as an integer: closures must be Sendable, pointers are not.
            // SAFETY: bench_static_string returns a static C string, valid for the process.
            let address = unsafe Int(bitPattern: bench_static_string(length))
            return BenchCase(
                "string-out-static-\(length == 16 ? "16" : "1k")",
                "String(strictCString:): a borrowed \(length)-byte C string into a Swift String"
            ) {
                // SAFETY: a static NUL-terminated string.
                blackHole(
                    must("string-out-static") { try unsafe String(strictCString: UnsafePointer(bitPattern: address)) })
            }
        }
        func stringOutOwned(_ length: Int) -> BenchCase {
            let address = unsafe Int(bitPattern: bench_static_string(length))
            return BenchCase(
                "string-out-owned-\(length == 16 ? "16" : "1k")",
                "OwnedCString.take: a malloc'd \(length)-byte C string into Swift, then freed"
            ) {
                // SAFETY: bench_strdup returns a malloc'd copy; take frees it with free.
                let source = unsafe UnsafePointer<CChar>(bitPattern: address)
                blackHole(
                    must("string-out-owned") {
                        try unsafe OwnedCString.take(bench_strdup(source), free: { unsafe free($0) })
                    })
            }
        }
        return [
            stringIn("string-in-15", s15), stringIn("string-in-16", s16), stringIn("string-in-1k", s1k),
            stringOutStatic(16), stringOutStatic(1024), stringOutOwned(16), stringOutOwned(1024),
        ]
    }

    static func bulk() throws -> [BenchCase] {
        let items = (0..<1_000_000).map { CInt($0 & 0xFF) }
        let floats = (0..<1_000_000).map { Float($0 & 0xFF) }
        let bytes64 = [UInt8](repeating: 7, count: 64)
        let bytes1M = [UInt8](repeating: 7, count: 1 << 20)
        let shared = Box(try SharedBuffer(size: 1 << 20))
        return [
            BenchCase(
                "callback-1e6", "processItems: C calls a Swift closure per item (per item)", operations: 1_000_000
            ) {
                var total = 0
                processItems(items) { total &+= Int($0) }
                blackHole(total)
            },
            BenchCase("sum-1e6", "sum(_:): 1e6 floats summed by C (per call)") {
                blackHole(sum(floats))
            },
            BenchCase("hash-64", "computeHash: 64 bytes") { blackHole(computeHash(bytes64)) },
            BenchCase("hash-1M", "computeHash: 1 MiB") { blackHole(computeHash(bytes1M)) },
            BenchCase("zero-copy-view-1M", "SharedBuffer.withSpan: sum 1 MiB of C memory in place") {
                blackHole(
                    shared.value.withSpan { span in
                        var total = 0
                        for index in span.indices { total &+= Int(span[index]) }
                        return total
                    })
            },
            BenchCase("zero-copy-copy-1M", "the same sum after copying the 1 MiB into a Swift array") {
                let copy = shared.value.withSpan { span in span.indices.map { span[$0] } }
                var total = 0
                for byte in copy { total &+= Int(byte) }
                blackHole(total)
            },
        ]
    }

    static func events() throws -> [BenchCase] {
        let payload = [UInt8](repeating: 1, count: 16)
        let counter = Atomic(0)
        let system = EventSystem()
        system.register(eventType: 77) { event in counter.add(event.payload.count, ordering: .relaxed) }
        try system.start()
        let stream = Box(try EventSystem.events(ofType: 78, bufferingPolicy: .unbounded).makeAsyncIterator())
        let batch = 1_000
        return [
            BenchCase("event-registry", "triggerEvent → EventSystem handler, 16-byte payload (per event)") {
                triggerEvent(type: 77, payload: payload)
                withExtendedLifetime(system) {}
            },
            BenchCase(
                "event-async", "triggerEvent → EventSystem.events AsyncSequence, 16-byte payload (per event)",
                operations: batch,
                runAsync: {
                    for _ in 0..<batch { triggerEvent(type: 78, payload: payload) }
                    for _ in 0..<batch { blackHole(await stream.value.next()) }
                }),
        ]
    }

    static func database(directory: String) throws -> [BenchCase] {
        let ours = try Database(path: "\(directory)/ours.db")
        try ours.set("key", "value-0123456789")
        let grdb = try DatabaseQueue(path: "\(directory)/grdb.db")
        try grdb.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL")
            try db.execute(sql: "PRAGMA synchronous=FULL")
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL)")
            try db.execute(
                sql: "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)",
                arguments: [Data("key".utf8), Data("value-0123456789".utf8)])
        }
        let counter = Box(0)
        return [
            BenchCase("db-get", "Database.get: one key, a 16-byte value (KeyValueStore)") {
                blackHole(must("db-get") { try ours.get("key") })
            },
            BenchCase("db-get-grdb", "the same get through GRDB (cached statement)") {
                blackHole(
                    must("db-get-grdb") {
                        try grdb.read { db in
                            try Data.fetchOne(
                                db.cachedStatement(sql: "SELECT value FROM kv WHERE key = ?"),
                                arguments: [Data("key".utf8)]
                            ).map { String(decoding: $0, as: UTF8.self) }
                        }
                    })
            },
            BenchCase("db-set", "Database.set: a durable write (WAL, synchronous=FULL)") {
                counter.value += 1
                must("db-set") { try ours.set("key-\(counter.value & 1023)", "value-0123456789") }
            },
            BenchCase("db-set-grdb", "the same durable write through GRDB") {
                counter.value += 1
                let key = "key-\(counter.value & 1023)"
                must("db-set-grdb") {
                    try grdb.writeWithoutTransaction { db in
                        try db.cachedStatement(
                            sql:
                                "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                        ).execute(arguments: [Data(key.utf8), Data("value-0123456789".utf8)])
                    }
                }
            },
        ]
    }

    static func plugin(_ path: String) throws -> [BenchCase] {
        let library = try PluginLibrary(path: path)
        let instance = Box(try library.makeInstance(configuration: "ascii"))
        let input = Array("sixteen bytes in".utf8)
        return [
            BenchCase("plugin-call", "PluginInstance.process: 16 bytes through a Swift plugin's C table") {
                blackHole(must("plugin-call") { try instance.value.process(input) })
            }
        ]
    }

    static func tips() -> [BenchCase] {
        let values = Box((0..<1_000).map { CInt($0) })
        return [
            BenchCase("batch-one-call", "incrementWrapping: 1,000 ints in one call (per int)", operations: 1_000) {
                incrementWrapping(&values.value)
            },
            BenchCase("batch-many-calls", "incrementWrapping: 1,000 calls of one int (per int)", operations: 1_000) {
                for index in 0..<1_000 {
                    var one = [values.value[index]]
                    incrementWrapping(&one)
                    values.value[index] = one[0]
                }
            },
            BenchCase(
                "inline-header", "native_double_saturating: a static inline C function, inlined", operations: 1_000
            ) {
                var total: CInt = 0
                for value in values.value { total &+= native_double_saturating(value) }
                blackHole(total)
            },
            BenchCase("inline-call", "native_double_saturating_call: the same function, called", operations: 1_000) {
                var total: CInt = 0
                for value in values.value { total &+= native_double_saturating_call(value) }
                blackHole(total)
            },
        ]
    }
}
