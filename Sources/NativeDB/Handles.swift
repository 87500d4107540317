// The handles db_open gives C: numbers naming an open Database in one process-wide table,
// never addresses. A closed, forged or never-issued handle is simply not found, and no
// number is issued twice, so a stale handle cannot reach a database opened later.

import KeyValueStore
import SafeFFI

/// The open databases of the db_* API, by handle number.
enum Handles {
    /// Issued numbers are `tag | n` for n = 1, 2, …: above every user-space address of
    /// x86-64 and arm64 Linux, so neither NULL nor a real pointer passed by mistake can be
    /// a handle.
    private static let tag: UInt = 0xDB00_0000_0000_0000
    /// The largest n; once it is issued, db_open fails (2^56 − 1 opens: 2,283 years at one
    /// open a microsecond).
    private static let lastNumber: UInt = 0x00FF_FFFF_FFFF_FFFF

    /// Registers `database` under a number never issued before, or returns nil when every
    /// number has been issued.
    static func issue(_ database: Database) -> UInt? {
        table.withLock { state in
            guard state.issued < lastNumber else { return nil }
            state.issued += 1
            let handle = tag | state.issued
            state.open[handle] = database
            return handle
        }
    }

    /// The database `handle` names, or nil when it is closed or was never issued. The
    /// caller's reference keeps the object alive for its call even if the handle is closed
    /// meanwhile (the Database then reports ``SQLiteResultCode/misuse``).
    static func database(_ handle: UInt) -> Database? {
        table.withLock { $0.open[handle] }
    }

    /// Removes `handle` from the table and returns its database, or nil when it is not
    /// open (closed before, or never issued). Only one caller gets the database.
    static func remove(_ handle: UInt) -> Database? {
        table.withLock { $0.open.removeValue(forKey: handle) }
    }

    /// Whether `handle` names an open database.
    static func isOpen(_ handle: UInt) -> Bool {
        table.withLock { $0.open[handle] != nil }
    }
}

/// The table's state, reached only under its lock.
private struct HandleTable {
    /// The open databases, by handle.
    var open: [UInt: Database] = [:]
    /// The n of the last handle issued (0: none yet).
    var issued: UInt = 0
}

/// The one table of the process: C may pass a handle to any thread.
private let table = Serialized(HandleTable())
