// The tutorial's database_example, over KeyValueStore.

import Glibc
import KeyValueStore
import SafeFFI

func databaseExample() {
    let path = "/tmp/ffi-demo-\(getpid()).db"
    defer {
        for suffix in ["", "-wal", "-shm"] {
            // SAFETY: a NUL-terminated path valid during the call; unlink keeps nothing.
            _ = try? unsafe (path + suffix).withCheckedCString { unsafe unlink($0) }
        }
    }
    let database: Database
    do {
        database = try Database(path: path)
    } catch {
        printError("Error opening database: \(error)")
        return
    }
    do {
        try database.set("name", "Alice")
    } catch {
        printError("Error setting value: \(error)")
    }
    do {
        print("Name: \(try database.get("name") ?? "(missing)")")
    } catch {
        printError("Error getting value: \(error)")
    }
    do {
        print("Deleted 'name': \(try database.delete("name"))")
        print("Deleted 'name' again: \(try database.delete("name"))")
        print("Name after delete: \(try database.get("name") ?? "(missing)")")
        try database.set("bytes", bytes: [0x00, 0xFF])
        _ = try database.get("bytes")
    } catch {
        printError("Refused: \(error)")
    }
    do {
        try database.close()
        _ = try Database(path: "/tmp/bad\0path.db")
    } catch {
        printError("Refused: \(error)")
    }
}
