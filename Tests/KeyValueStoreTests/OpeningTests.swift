// Opening a file: many openers at once, the write queue's lock file beside the database,
// paths that are not UTF-8, another application's file left exactly as it was.

import CSQLite
import Foundation
import Glibc
import TestSupport
import Testing

@testable import KeyValueStore

/// `stat` of a path given as bytes, or nil when nothing is there.
func fileStatus(_ path: [UInt8]) -> stat? {
    var status = stat()
    // SAFETY: a NUL-terminated copy of the path, valid during the call; stat fills a local.
    let result = unsafe (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
        unsafe stat($0.baseAddress!, &status)
    }
    return result == 0 ? status : nil
}

func fileStatus(_ path: String) -> stat? { fileStatus(Array(path.utf8)) }

/// Names of the files in `directory`.
func files(in directory: TemporaryDirectory) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
}

@Suite("Database: opening, by many at once")
struct ConcurrentOpenTests {
    @Test("6 processes × 2 threads open the same new file at the same moment, 40 rounds: every open succeeds")
    func processesRace() throws {
        let directory = try TemporaryDirectory()
        let racer = PackagePaths.build.appending(path: "kv-open-race")
        let (rounds, threads, processCount) = (40, 2, 6)
        // Every child starts round N at the same wall-clock moment.
        let start = Int((Date().timeIntervalSince1970 + 1.5) * 1000)
        let processes = try (0..<processCount).map { _ in
            let process = Process()
            process.executableURL = racer
            process.arguments = [directory.url.path, "\(rounds)", "\(threads)", "\(start)", "60"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            return (process, output)
        }
        var pids: [Int32] = []
        for (process, output) in processes {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            pids.append(process.processIdentifier)
            #expect(process.terminationStatus == 0, "\(text)")
            #expect(text.hasPrefix("opens \(rounds * threads) failures 0\n"), "\(text)")
        }
        let expectedKeys = pids.flatMap { pid in (0..<threads).map { "p\(pid)-t\($0)" } }.sorted()
        for round in 0..<rounds {
            let database = try Database(path: directory.path("round-\(round).db"))
            #expect(try database.keys(withPrefix: "") == expectedKeys, "round \(round)")
            #expect(try database.checkIntegrity() == [])
            try database.close()
        }
        // The last user of each lock file removed it, as SQLite removes -wal and -shm.
        #expect(try files(in: directory) == (0..<rounds).map { "round-\($0).db" }.sorted())
    }

    @Test("16 threads of one process open the same new file at once, 20 rounds")
    func threadsRace() async throws {
        let directory = try TemporaryDirectory()
        for round in 0..<20 {
            let path = directory.path("threads-\(round).db")
            let outcomes = await withTaskGroup(of: String?.self) { group in
                for thread in 0..<16 {
                    group.addTask {
                        do throws(DatabaseError) {
                            let database = try Database(path: path)
                            try database.set("t\(thread)", "x")
                            try database.close()
                            return nil
                        } catch {
                            return "thread \(thread): \(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
            }
            #expect(outcomes == [], "round \(round)")
            #expect(try Database(path: path).count() == 16)
        }
    }
}

@Suite("Database: the write queue's lock file")
struct WriteLockFileTests {
    @Test("it takes the database file's permission bits, whatever the umask, and goes with the last close")
    func modeAndRemoval() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("mode.db")
        try Database(path: path).close()
        #expect(try files(in: directory) == ["mode.db"])
        // Group-writable: the usual umask (022) would clear that bit.
        try FileManager.default.setAttributes([.posixPermissions: 0o660], ofItemAtPath: path)
        let first = try Database(path: path)
        let second = try Database(path: path)
        #expect(first.writeOrder == .betweenProcesses)
        let lock = try #require(fileStatus(path + "-wlock"))
        #expect(lock.st_mode & 0o777 == 0o660)
        try first.close()
        // Still in use by the second database.
        #expect(fileStatus(path + "-wlock") != nil)
        try second.set("k", "v")
        try second.close()
        #expect(try files(in: directory) == ["mode.db"])
    }

    @Test(
        "opened by root, it belongs to the database file's owner, as -wal and -shm do",
        .enabled(if: geteuid() == 0, "only root can give a file to another user"))
    func ownerUnderRoot() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("owned.db")
        try Database(path: path).close()
        try FileManager.default.setAttributes([.ownerAccountID: 4321, .groupOwnerAccountID: 4322], ofItemAtPath: path)
        let database = try Database(path: path)
        try database.set("k", "v")
        for suffix in ["-wlock", "-wal", "-shm"] {
            let status = try #require(fileStatus(path + suffix), "\(suffix)")
            #expect(status.st_uid == 4321 && status.st_gid == 4322, "\(suffix)")
        }
        try database.close()
    }

    @Test("when it cannot be used, the database says so and still orders its own threads")
    func unusable() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("blocked.db")
        // A directory where the lock file would be: no open mode makes it usable, even for root.
        try FileManager.default.createDirectory(atPath: path + "-wlock", withIntermediateDirectories: false)
        let database = try Database(path: path)
        #expect(database.writeOrder == .withinProcess(reason: "cannot use \(path)-wlock: Is a directory"))
        #expect(
            database.writeOrder.description
                == "in arrival order within this process only: cannot use \(path)-wlock: Is a directory")
        try database.set("k", "v")
        #expect(try database.get("k") == "v")
        try database.close()
        #expect(
            try Database.inMemory().writeOrder
                == .withinProcess(reason: "the database is in memory, private to this process"))
    }
}

@Suite("Database: paths that are not UTF-8")
struct BytePathTests {
    @Test("a database in a directory named in Latin-1 opens, keeps its lock file and its path's bytes")
    func latin1Directory() throws {
        let directory = try TemporaryDirectory()
        // "café" in Latin-1: 0xE9 is not UTF-8 on its own.
        let folder = Array(directory.url.path.utf8) + Array("/caf".utf8) + [0xE9]
        // SAFETY: a NUL-terminated copy of the path, valid during the call.
        let made = unsafe (folder.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
            unsafe mkdir($0.baseAddress!, 0o755)
        }
        try #require(made == 0)
        let path = folder + Array("/x.db".utf8)
        do {
            let database = try Database(pathBytes: path)
            #expect(database.pathBytes == path)
            #expect(database.path == nil)
            #expect(database.writeOrder == .betweenProcesses)
            #expect(fileStatus(path + Array("-wlock".utf8)) != nil)
            try database.set("k", "v")
            try database.close()
        }
        let reopened = try Database(pathBytes: path)
        #expect(try reopened.get("k") == "v")
        try reopened.close()
        for name in [path, folder] {
            // SAFETY: NUL-terminated copies of the paths, valid during each call.
            _ = unsafe (name.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
                unsafe remove($0.baseAddress!)
            }
        }
        #expect(try files(in: directory) == [])
    }

    @Test("a path holding a NUL byte is refused with its offset")
    func nulInPath() {
        #expect(
            throws: DatabaseError(
                code: .cantOpen, message: "the path contains a NUL byte at offset 3", operation: .open)
        ) {
            try Database(pathBytes: Array("abc\0def".utf8))
        }
    }
}

@Suite("Database: another application's file is left exactly as it was")
struct ForeignFileTests {
    /// Another application's file in WAL mode whose last writer exited without a checkpoint:
    /// its rows are in `-wal` only.
    static func uncheckpointedFile(_ path: String, _ setup: [String]) throws {
        var handle: OpaquePointer?
        // SAFETY: a connection of this function's own, closed before it returns.
        try #require(unsafe sqlite3_open(path, &handle) == SQLITE_OK)
        guard let connection = unsafe handle else { throw SQLError(message: "no connection") }
        for sql in ["PRAGMA journal_mode=WAL"] + setup {
            // SAFETY: as above; SQLite copies the SQL.
            try #require(unsafe sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK, "\(sql)")
        }
        // SAFETY: as above.
        unsafe csqlite_set_checkpoint_on_close(connection, 0)
        unsafe sqlite3_close(connection)
    }

    @Test(
        "refused, its write-ahead log is not checkpointed into it nor removed",
        arguments: [
            ["PRAGMA application_id = 7", "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('kept')"],
            ["CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('kept')"],
        ])
    func uncheckpointedWAL(setup: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("theirs.db")
        try Self.uncheckpointedFile(path, setup)
        let before = try #require(fileStatus(path)).st_size
        let walBefore = try #require(fileStatus(path + "-wal")).st_size
        #expect(walBefore > 0)
        #expect(throws: DatabaseError.self) { try Database(path: path) }
        #expect(try #require(fileStatus(path)).st_size == before)
        #expect(try #require(fileStatus(path + "-wal")).st_size == walBefore)
        #expect(fileStatus(path + "-shm") != nil)
        #expect(fileStatus(path + "-wlock") == nil)
        #expect(try shell(path, "SELECT body FROM notes").get() == [["kept"]])
    }
}

@Suite("Database: reads take a free reader")
struct FreeReaderTests {
    @Test("with 3 of 4 readers held, every read is served by the free one")
    func freeReaderIsTaken() throws {
        let directory = try TemporaryDirectory()
        var options = Database.Options()
        options.readerCount = 4
        let database = try Database(path: directory.path("readers.db"), options: options)
        try database.set("k", "v")
        // Held by this very thread: a read sent to a held reader would find its lock taken
        // by its own thread and be refused, so each read shows which reader served it.
        let values = try database.holdingReadersForTesting(3) {
            try (0..<8).map { _ in try database.get("k") }
        }
        #expect(values == Array(repeating: "v", count: 8))
        try database.close()
    }
}
