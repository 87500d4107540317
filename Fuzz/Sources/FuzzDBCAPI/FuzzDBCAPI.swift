// The tutorial's db_* C API with arbitrary arguments — NULLs, invalid UTF-8, NULs cutting
// strings short — called as a C program would: nothing may crash, and every status must
// be one the header documents.

import CNativeDB
import Glibc
import NativeDB

// The fuzzer calls this from one thread; the handle is the C API's own opaque pointer.
private nonisolated(unsafe) let handle = dbOpen(":memory:")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Two C strings out of the rest of the input, split at the first 0xFE.
    let rest = Array(bytes.dropFirst(2))
    let split = rest.firstIndex(of: 0xFE) ?? rest.count
    let key = Array(rest[..<split]) + [0]
    let value = Array(rest[min(split + 1, rest.count)...]) + [0]
    let useNullHandle = bytes[1] & 1 != 0
    let useNullKey = bytes[1] & 2 != 0
    let useNullValue = bytes[1] & 4 != 0
    key.withUnsafeBufferPointer { keyBuffer in
        value.withUnsafeBufferPointer { valueBuffer in
            let keyPointer = useNullKey ? nil : UnsafeRawPointer(keyBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let valuePointer = useNullValue ? nil : UnsafeRawPointer(valueBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let target = useNullHandle ? nil : handle
            switch bytes[0] % 3 {
            case 0:
                let status = dbSet(target, keyPointer, valuePointer)
                precondition([0, -2].contains(status), "db_set returned \(status)")
            case 1:
                let result = dbGet(target, keyPointer)
                let status = db_last_status()
                // A value comes back exactly when the status is DB_OK; otherwise the status is
                // a documented one.
                precondition((result != nil) == (status == 0), "db_get returned a value with status \(status)")
                precondition(status == 0 || [-1, -2, -3].contains(status) || status > 0, "db_get status \(status)")
                dbFreeValue(result)
            default:
                let status = dbDelete(target, keyPointer)
                precondition([0, -1, -2].contains(status), "db_delete returned \(status)")
            }
        }
    }
    return 0
}
