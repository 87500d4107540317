// A sequence of database operations from arbitrary bytes, checked after every step
// against a dictionary that models what the database must hold.

import KeyValueStore

/// Keys from a small alphabet (so operations meet), NUL and non-ASCII included.
private let alphabet: [String] = ["a", "b", "a\0", "é", "ab", "\0", "key"]

private let database: Database = {
    do {
        return try Database.inMemory()
    } catch {
        fatalError("open: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // One database for every input, emptied first (opening one per input would make the
    // fuzzer spend its time in sqlite3_open).
    for key in alphabet { _ = try? database.delete(key) }
    var model: [String: [UInt8]] = [:]
    var index = 0
    func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }
    while let op = next(), let keyIndex = next() {
        let key = alphabet[Int(keyIndex) % alphabet.count]
        do {
            switch op % 5 {
            case 0:
                let length = Int(next() ?? 0) % 8
                var value: [UInt8] = []
                for _ in 0..<length { value.append(next() ?? 0) }
                try database.set(key, bytes: value)
                model[key] = value
            case 1:
                let stored = try database.bytes(forKey: key)
                precondition(stored == model[key], "get \(key)")
            case 2:
                let existed = try database.delete(key)
                precondition(existed == (model.removeValue(forKey: key) != nil), "delete \(key)")
            case 3:
                let count = try database.count()
                precondition(count == model.count, "count")
            default:
                let prefix = String(key.prefix(1))
                let expected = model.keys.filter { $0.utf8.starts(with: prefix.utf8) }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                let keys = try database.keys(withPrefix: prefix)
                precondition(keys == expected, "scan \(prefix)")
            }
        } catch {
            preconditionFailure("operation failed: \(error)")
        }
    }
    return 0
}
