// The SQLite fault loops of the reliability harness: for each Database operation, make the
// N-th allocation (then the N-th write or sync) fail, for N = 0, 1, 2, … until the
// operation completes. Every failure must be a typed DatabaseError; afterwards the file
// must open, pass PRAGMA integrity_check, hold each key's old or new value, and SQLite's
// allocator must be back to its starting count (nothing leaked).
//
// Usage: kv-fault-injector DIRECTORY
// Prints one line per operation and fault kind, then a summary; exits 1 on any violation.
// A separate process: sqlite3_config must run before SQLite is first used.

import CSQLiteFaults
import Glibc
import KeyValueStore
import SafeFFI
import Synchronization

guard CommandLine.arguments.count == 2 else {
    print("usage: kv-fault-injector DIRECTORY")
    exit(2)
}
guard sqlite_faults_install() == 0 else {
    print("kv-fault-injector: cannot install the fault injector")
    exit(1)
}
let directory = CommandLine.arguments[1]
let path = "\(directory)/faults.db"
let keys = ["alpha", "beta", "gamma", "delta"]

var faulty = Database.Options()
faulty.vfsName = "faulty"

enum FaultKind: String {
    case allocation, io
}

struct Operation {
    let name: String
    /// The value each key may hold after the operation, besides "old".
    let newValues: [String: String?]
    /// Whether the keys hold all their new values or none (a transaction).
    var atomic = false
    /// Whether the operation tells which of its writes succeeded (in `succeededWrites`):
    /// after it, exactly those keys hold their new values when it returned, none when it threw.
    var reportsWrites = false
    let run: (Database) throws(DatabaseError) -> Void

    init(
        name: String, newValues: [String: String?], atomic: Bool = false, reportsWrites: Bool = false,
        run: @escaping (Database) throws(DatabaseError) -> Void
    ) {
        self.name = name
        self.newValues = newValues
        self.atomic = atomic
        self.reportsWrites = reportsWrites
        self.run = run
    }
}

/// The keys whose writes a `reportsWrites` operation saw succeed.
let succeededWrites = Mutex<Set<String>>([])

/// Runs `write`, noting `key` when it succeeds and going on when it fails.
func skippingFailure(_ key: String, _ write: () throws(DatabaseError) -> Void) {
    do throws(DatabaseError) {
        try write()
        succeededWrites.withLock { _ = $0.insert(key) }
    } catch {}
}

/// Runs `body` as a transaction, passing on its DatabaseError.
func transaction(_ database: Database, _ body: (borrowing Transaction) throws -> Void) throws(DatabaseError) {
    do {
        try database.transaction(body)
    } catch let error as DatabaseError {
        throw error
    } catch {
        fatalError("a transaction threw a non-database error: \(error)")
    }
}

let operations: [Operation] = [
    Operation(name: "open", newValues: [:]) { (_) throws(DatabaseError) in },
    Operation(name: "set (update)", newValues: ["alpha": "new"]) { (database) throws(DatabaseError) in
        try database.set("alpha", "new")
    },
    Operation(name: "set (insert)", newValues: ["epsilon": "new"]) { (database) throws(DatabaseError) in
        try database.set("epsilon", "new")
    },
    Operation(name: "delete", newValues: ["beta": nil]) { (database) throws(DatabaseError) in
        _ = try database.delete("beta")
    },
    Operation(name: "transaction", newValues: ["alpha": "new", "gamma": "new", "zeta": "new"], atomic: true) {
        (database) throws(DatabaseError) in
        try transaction(database) { transaction in
            try transaction.set("alpha", "new")
            try transaction.set("gamma", "new")
            try transaction.set("zeta", "new")
        }
    },
    // The usual batch loop that skips an item that fails: after a failure that makes
    // SQLite end the transaction, nothing more may be written, inside it or outside.
    Operation(
        name: "transaction (skipping failures)", newValues: ["alpha": "new", "gamma": nil, "zeta": "new"],
        reportsWrites: true
    ) { (database) throws(DatabaseError) in
        try transaction(database) { transaction in
            skippingFailure("alpha") { () throws(DatabaseError) in try transaction.set("alpha", "new") }
            skippingFailure("gamma") { () throws(DatabaseError) in _ = try transaction.delete("gamma") }
            skippingFailure("zeta") { () throws(DatabaseError) in try transaction.set("zeta", "new") }
        }
    },
    Operation(name: "get", newValues: [:]) { (database) throws(DatabaseError) in _ = try database.get("alpha") },
    Operation(name: "count", newValues: [:]) { (database) throws(DatabaseError) in _ = try database.count() },
    Operation(name: "scan", newValues: [:]) { (database) throws(DatabaseError) in
        _ = try database.entries(withPrefix: "")
    },
]

var violations: [String] = []
var totalPoints: [FaultKind: Int] = [.allocation: 0, .io: 0]

func removeFiles() {
    for suffix in ["", "-wal", "-shm"] {
        // SAFETY: a NUL-terminated path valid during the call; unlink keeps nothing.
        _ = try? unsafe (path + suffix).withCheckedCString { unsafe unlink($0) }
    }
}

/// A fresh file holding every key with the value "old".
func prepare() throws(DatabaseError) {
    removeFiles()
    let database = try Database(path: path)
    for key in keys { try database.set(key, "old") }
    try database.close()
}

/// The file is sound and each key holds "old" or the operation's new value.
func verify(_ operation: Operation, _ label: String, written: Set<String>?) -> [String] {
    var violations: [String] = []
    do {
        let database = try Database(path: path)
        defer { try? database.close() }
        var changed: [Bool: [String]] = [:]
        let problems = try database.checkIntegrity()
        if !problems.isEmpty { violations.append("\(label): integrity_check: \(problems)") }
        for key in Set(keys).union(operation.newValues.keys) {
            let value = try database.get(key)
            let old: String? = keys.contains(key) ? "old" : nil
            let allowed: [String?] = [old] + (operation.newValues[key].map { [$0] } ?? [])
            if !allowed.contains(where: { $0 == value }) {
                violations.append("\(label): key \(key) holds \(value ?? "nothing"), expected one of \(allowed)")
            }
            if operation.atomic, let new = operation.newValues[key] { changed[value == new, default: []].append(key) }
            if let written, let new = operation.newValues[key], (value == new) != written.contains(key) {
                violations.append(
                    "\(label): key \(key) holds \(value ?? "nothing") though its write \(written.contains(key) ? "was committed" : "failed or was rolled back")"
                )
            }
        }
        if changed.count > 1 {
            violations.append(
                "\(label): not atomic: new values in \(changed[true]!.sorted()), old in \(changed[false]!.sorted())")
        }
    } catch {
        violations.append("\(label): the file does not reopen cleanly: \(error)")
    }
    return violations
}

do {
    try prepare()
} catch {
    print("kv-fault-injector: set-up failed: \(error)")
    exit(1)
}
let baseline = sqlite_faults_live_allocations()

for kind in [FaultKind.allocation, .io] {
    for operation in operations {
        var point = 0
        while true {
            if point == 10_000 {
                violations.append("\(operation.name): still failing after 10,000 \(kind.rawValue) failure points")
                break
            }
            let label = "\(operation.name), \(kind.rawValue) failure \(point)"
            do {
                try prepare()
            } catch {
                violations.append("\(label): set-up failed: \(error)")
                break
            }
            var database: Database?
            if operation.name != "open" {
                do {
                    database = try Database(path: path, options: faulty)
                } catch {
                    violations.append("\(label): opening before the fault failed: \(error)")
                    break
                }
            }
            kind == .allocation ? sqlite_faults_fail_allocation_after(point) : sqlite_faults_fail_io_after(point)
            var failure: DatabaseError?
            do {
                if operation.name == "open" {
                    database = try Database(path: path, options: faulty)
                }
                if let database { try operation.run(database) }
            } catch {
                failure = error
            }
            let fired = sqlite_faults_fired() != 0
            sqlite_faults_fail_allocation_after(-1)
            sqlite_faults_fail_io_after(-1)
            if let failure, failure.message.isEmpty {
                violations.append("\(label): an error without a message: \(failure)")
            }
            if !fired, let failure {
                violations.append("\(label): failed with no fault injected: \(failure)")
            }
            try? database?.close()
            database = nil
            let reported = succeededWrites.withLock { (keys) in
                defer { keys.removeAll() }
                return keys
            }
            let written: Set<String>? = operation.reportsWrites ? (failure == nil ? reported : []) : nil
            violations += verify(operation, label, written: written)
            let live = sqlite_faults_live_allocations()
            if live != baseline {
                violations.append("\(label): SQLite holds \(live - baseline) more blocks than before")
            }
            if !fired { break }
            point += 1
        }
        // The run that completed without a fault is not a failure point.
        totalPoints[kind, default: 0] += point
        print("\(operation.name): \(point) \(kind.rawValue) failure points, each a typed error or a recovery")
    }
}
removeFiles()

print("total: \(totalPoints[.allocation]!) allocation failure points, \(totalPoints[.io]!) I/O failure points")
if violations.isEmpty {
    print("violations: 0")
    exit(0)
}
print("violations: \(violations.count)")
for violation in violations.prefix(50) { print("  \(violation)") }
exit(1)
