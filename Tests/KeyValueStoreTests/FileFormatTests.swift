// The database file as other programs see it: the sqlite3 shell, a script, another
// application's file given by mistake.

import CSQLite
import Foundation
import KeyValueStore
import Testing

/// What the sqlite3 shell would print for `sql` on the file at `path`: each row's columns
/// as text, or SQLite's error message.
func shell(_ path: String, _ sql: String) -> Result<[[String]], SQLError> {
    var handle: OpaquePointer?
    // SAFETY: a connection of this function's own, closed before it returns; SQLite copies
    // the path and the SQL; each row's text is copied before the next step.
    guard unsafe sqlite3_open(path, &handle) == SQLITE_OK, let handle = unsafe handle else {
        return .failure(SQLError(message: "cannot open \(path)"))
    }
    defer { unsafe sqlite3_close(handle) }
    var statement: OpaquePointer?
    guard unsafe sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement = unsafe statement
    else { return .failure(SQLError(message: unsafe String(cString: sqlite3_errmsg(handle)))) }
    defer { unsafe sqlite3_finalize(statement) }
    var rows: [[String]] = []
    while true {
        let status = unsafe sqlite3_step(statement)
        if status == SQLITE_DONE { return .success(rows) }
        guard status == SQLITE_ROW else {
            return .failure(SQLError(message: unsafe String(cString: sqlite3_errmsg(handle))))
        }
        let columns = unsafe sqlite3_column_count(statement)
        rows.append(
            (0..<columns).map { column in
                unsafe sqlite3_column_text(statement, column).map { unsafe String(cString: $0) } ?? "NULL"
            })
    }
}

struct SQLError: Error, Equatable {
    let message: String
}

@Suite("Database: the file as other programs see it")
struct FileFormatTests {
    @Test("keys are TEXT: the shell's WHERE key = '…' finds what a program stored")
    func textKeys() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shell.db")
        let database = try Database(path: path)
        try database.set("name", "Alice")
        try database.set("blob", bytes: [0, 1, 2])
        try database.close()
        #expect(try shell(path, "SELECT value FROM kv WHERE key = 'name'").get() == [["Alice"]])
        #expect(
            try shell(path, "SELECT typeof(key), typeof(value) FROM kv ORDER BY key").get() == [
                ["text", "blob"], ["text", "text"],
            ])
        #expect(try shell(path, "PRAGMA application_id").get() == [["\(0x4B56_5331)"]])
        #expect(try shell(path, "PRAGMA user_version").get() == [["1"]])
    }

    // Keys are TEXT: were they BLOBs, a text key inserted from SQL would be a second entry
    // for the same name that no program could see.
    @Test("the shell can add a text key the program reads; a BLOB key is refused")
    func keysFromSQL() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shell.db")
        try Database(path: path).set("name", "Alice")
        #expect(try shell(path, "INSERT INTO kv (key, value) VALUES ('city', 'Oslo')").get() == [])
        #expect(
            shell(path, "INSERT INTO kv (key, value) VALUES (x'6e616d65', 'Bob')")
                == .failure(SQLError(message: "CHECK constraint failed: typeof(key) = 'text'")))
        #expect(
            shell(path, "INSERT INTO kv (key, value) VALUES ('name', 'Bob')")
                == .failure(SQLError(message: "UNIQUE constraint failed: kv.key")))
        let database = try Database(path: path)
        #expect(try database.get("city") == "Oslo")
        #expect(try database.keys(withPrefix: "") == ["city", "name"])
        #expect(try database.get("name") == "Alice")
    }

    @Test("a file of another application is refused and left untouched")
    func otherApplication() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.db")
        #expect(try shell(path, "PRAGMA application_id = 1234").get() == [])
        #expect(
            throws: DatabaseError(
                code: .notADatabase,
                message:
                    "the file is another application's SQLite database (its application_id is 0x4D2, KeyValueStore's is 0x4B565331); it was left untouched",
                operation: .open)
        ) { _ = try Database(path: path) }
        #expect(try shell(path, "SELECT name FROM sqlite_schema").get() == [])
        #expect(try shell(path, "PRAGMA journal_mode").get() == [["delete"]])
    }

    @Test("an unmarked database with tables of its own is refused and left untouched")
    func otherTables() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.db")
        #expect(try shell(path, "CREATE TABLE users (id INTEGER PRIMARY KEY)").get() == [])
        #expect(try shell(path, "CREATE TABLE orders (id INTEGER PRIMARY KEY)").get() == [])
        #expect(
            throws: DatabaseError(
                code: .notADatabase,
                message:
                    "the file is an SQLite database that is not KeyValueStore's: it holds tables other than kv (orders, users); it was left untouched",
                operation: .open)
        ) { _ = try Database(path: path) }
        #expect(try shell(path, "SELECT name FROM sqlite_schema ORDER BY name").get() == [["orders"], ["users"]])
        #expect(try shell(path, "PRAGMA journal_mode").get() == [["delete"]])
    }

    @Test(
        "an unmarked kv table of another shape is refused and left untouched",
        arguments: [
            ["CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)"],
            ["CREATE TABLE kv (k INTEGER, v INTEGER)", "PRAGMA user_version = 7"],
            ["CREATE TABLE kv (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL)", "PRAGMA user_version = 3"],
        ])
    func foreignKVTable(setup: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("foreign.db")
        for sql in setup { #expect(try shell(path, sql).get() == []) }
        let schemaBefore = try shell(path, "SELECT sql FROM sqlite_schema").get()
        #expect(
            throws: DatabaseError(
                code: .notADatabase,
                message:
                    "the file is an SQLite database that is not KeyValueStore's: it holds tables other than kv (kv); it was left untouched",
                operation: .open)
        ) { _ = try Database(path: path) }
        #expect(try shell(path, "SELECT sql FROM sqlite_schema").get() == schemaBefore)
        #expect(try shell(path, "PRAGMA application_id").get() == [["0"]])
    }

    @Test("a layout-0 file holding a key both as text and as bytes is refused, nothing lost")
    func keyStoredTwice() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("twice.db")
        let old = [
            "CREATE TABLE kv (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL)",
            "INSERT INTO kv VALUES (CAST('name' AS BLOB), CAST('Alice' AS BLOB))",
            "INSERT INTO kv VALUES ('name', 'Bob')",
        ]
        for sql in old { #expect(try shell(path, sql).get() == []) }
        #expect(
            throws: DatabaseError(
                code: .constraint,
                message:
                    "the file holds keys stored twice, as text and as bytes (name), which cannot both be kept when keys become text: delete one of each pair (sqlite3 shell: DELETE FROM kv WHERE key = CAST('name' AS BLOB)), then open it again; nothing was changed",
                operation: .open)
        ) { _ = try Database(path: path) }
        #expect(try shell(path, "SELECT count(*) FROM kv").get() == [["2"]])
        #expect(try shell(path, "DELETE FROM kv WHERE key = 'name'").get() == [])
        #expect(try Database(path: path).get("name") == "Alice")
    }

    @Test("a file of a later layout is refused")
    func laterLayout() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("later.db")
        try Database(path: path).close()
        #expect(try shell(path, "PRAGMA user_version = 2").get() == [])
        #expect(
            throws: DatabaseError(
                code: .notADatabase,
                message:
                    "the file was written by a later version of KeyValueStore (layout 2; this version reads up to 1); it was left untouched",
                operation: .open)
        ) { _ = try Database(path: path) }
    }

    @Test("a file written before the mark (BLOB keys) is brought up to date, every entry kept")
    func layoutZero() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.db")
        let old = [
            "CREATE TABLE kv (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL)",
            "INSERT INTO kv VALUES (CAST('name' AS BLOB), CAST('Alice' AS BLOB))",
            "INSERT INTO kv VALUES (CAST('nul' AS BLOB) || x'00' || CAST('tail' AS BLOB), x'00ff')",
        ]
        for sql in old { #expect(try shell(path, sql).get() == []) }
        let database = try Database(path: path)
        #expect(try database.get("name") == "Alice")
        #expect(try database.bytes(forKey: "nul\0tail") == [0, 0xFF])
        #expect(try database.count() == 2)
        try database.close()
        #expect(try shell(path, "SELECT count(*) FROM kv WHERE key = 'name'").get() == [["1"]])
        #expect(try shell(path, "PRAGMA user_version").get() == [["1"]])
    }
}
