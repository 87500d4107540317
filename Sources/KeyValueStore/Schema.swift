// The database file's layout: its one table, the mark that says the file is
// KeyValueStore's, and the update of a file written before that mark existed.

/// What a KeyValueStore file holds, and how `open` checks and prepares it.
///
/// The file is an ordinary SQLite database that the sqlite3 shell can read: one table,
/// `kv(key TEXT PRIMARY KEY, value BLOB)`. Keys are TEXT, so `WHERE key = 'name'` finds
/// what a program stored; a constraint refuses keys of any other type (a BLOB key would be
/// a duplicate no program could see). Text values this version writes are TEXT, byte
/// values BLOB (values of a file brought up from layout 0 stay BLOB). The header's
/// `application_id` says the file is KeyValueStore's and `user_version` which layout it
/// has.
enum Schema {
    /// KeyValueStore's SQLite `application_id`: "KVS1" in ASCII.
    static let applicationID: Int32 = 0x4B56_5331
    /// The layout this version writes: 1. (Files without the mark are layout 0: BLOB keys.)
    static let version: Int32 = 1

    static let columns = "(key TEXT PRIMARY KEY NOT NULL CHECK (typeof(key) = 'text'), value BLOB NOT NULL)"
    /// The kv table of layout 0, column by column: name, type, NOT NULL, primary key.
    static let layoutZeroShape = ["key BLOB 1 1", "value BLOB 1 0"]

    /// Whether the file is KeyValueStore's, of this layout, and (when `wal`) in WAL mode:
    /// then opening it writes nothing and needs no lock.
    ///
    /// - Throws: ``SQLiteResultCode/notADatabase`` for a database of another application
    ///   or a later layout, before anything is written to it; SQLite's errors.
    static func isReady(_ connection: Connection, wal: Bool) throws(DatabaseError) -> Bool {
        let (file, mode) = try snapshot(connection) { () throws(DatabaseError) in
            (try identity(connection), try connection.rows("PRAGMA journal_mode", .open).first)
        }
        return file.isCurrent && (!wal || mode == "wal")
    }

    /// Checks that the file is KeyValueStore's or has no tables yet, creates or updates
    /// its table and marks it, in one transaction, then (when `wal`) sets WAL mode. Run by
    /// one process at a time (WriterSlot.whileOpening): SQLite's locks alone let a process
    /// read a table another one is creating, and let two journal-mode changes wait for
    /// each other until the busy timeout.
    ///
    /// - Throws: ``SQLiteResultCode/notADatabase`` for a database of another application
    ///   or a later layout, before anything is written to it — the journal mode included,
    ///   which is kept in the file; SQLite's errors.
    static func prepare(_ connection: Connection, wal: Bool) throws(DatabaseError) {
        let file = try snapshot(connection) { () throws(DatabaseError) in try identity(connection) }
        if !file.isCurrent {
            try connection.execute("BEGIN IMMEDIATE", .open)
            do throws(DatabaseError) {
                try prepareInTransaction(connection)
                try connection.execute("COMMIT", .open)
            } catch {
                try? connection.rollBack(.open)
                throw error
            }
        }
        if wal {
            try connection.execute("PRAGMA journal_mode=WAL", .open)
        }
    }

    /// What the file says of itself.
    private struct Identity {
        let application: Int32
        let layout: Int32
        let tables: [String]

        /// KeyValueStore's, of this layout, with its table.
        var isCurrent: Bool { application == applicationID && layout == version && tables.contains("kv") }
    }

    /// `body`'s reads, all from one state of the file: in one read transaction, so that a
    /// process writing meanwhile is seen wholly or not at all.
    private static func snapshot<R>(
        _ connection: Connection, _ body: () throws(DatabaseError) -> R
    ) throws(DatabaseError) -> R {
        try connection.execute("BEGIN", .open)
        let result: R
        do throws(DatabaseError) {
            result = try body()
        } catch {
            try? connection.rollBack(.open)
            throw error
        }
        try connection.execute("COMMIT", .open)
        return result
    }

    private static func identity(_ connection: Connection) throws(DatabaseError) -> Identity {
        let application = try integer("PRAGMA application_id", connection)
        let layout = try integer("PRAGMA user_version", connection)
        let tables = try connection.rows(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite|_%' ESCAPE '|' ORDER BY name",
            .open)
        switch application {
        case applicationID:
            guard layout <= version else { throw .laterLayout(layout, supported: version) }
        case 0:
            let others = tables.filter { $0 != "kv" }
            guard others.isEmpty else { throw .otherApplicationTables(others) }
            if tables.contains("kv") {
                // Only layout 0 (this library before the mark) had a kv table and no mark.
                let shape = try connection.rows(
                    "SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || pk FROM pragma_table_info('kv') ORDER BY cid",
                    .open)
                guard layout == 0, shape == layoutZeroShape else { throw .otherApplicationTables(["kv"]) }
            }
        default:
            throw .otherApplication(application)
        }
        return Identity(application: application, layout: layout, tables: tables)
    }

    private static func prepareInTransaction(_ connection: Connection) throws(DatabaseError) {
        // Checked again inside the transaction: another process may have written meanwhile.
        let file = try identity(connection)
        let (application, layout, tables) = (file.application, file.layout, file.tables)
        if !tables.contains("kv") {
            try connection.execute("CREATE TABLE kv " + columns, .open)
        } else if layout == 0 {
            // Layout 0 stored keys as BLOBs: copied, byte for byte, into TEXT keys. A key
            // stored both ways (the shell's text beside the program's bytes) would lose one
            // value: refused, for a person to choose.
            let twice = try connection.rows(
                "SELECT CAST(key AS TEXT) AS name FROM kv GROUP BY name HAVING count(*) > 1 ORDER BY name LIMIT 5",
                .open)
            guard twice.isEmpty else { throw .keysStoredTwice(twice) }
            try connection.execute("CREATE TABLE kv_layout1 " + columns, .open)
            try connection.execute("INSERT INTO kv_layout1 (key, value) SELECT CAST(key AS TEXT), value FROM kv", .open)
            try connection.execute("DROP TABLE kv", .open)
            try connection.execute("ALTER TABLE kv_layout1 RENAME TO kv", .open)
        }
        if application != applicationID || layout != version {
            try connection.execute("PRAGMA application_id = \(applicationID)", .open)
            try connection.execute("PRAGMA user_version = \(version)", .open)
        }
    }

    private static func integer(_ sql: String, _ connection: Connection) throws(DatabaseError) -> Int32 {
        let rows = try connection.rows(sql, .open)
        guard let text = rows.first, let value = Int32(text) else {
            throw DatabaseError(
                code: .error, message: "SQLite answered \(sql) with \(rows), not a number", operation: .open, sql: sql)
        }
        return value
    }
}
