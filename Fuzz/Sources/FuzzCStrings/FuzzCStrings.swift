// Arbitrary bytes as C strings, both ways: strict decoding must agree with the standard
// library's validator and report the exact first invalid byte; checked C strings must
// refuse exactly the strings that hold a NUL, at its offset; ownership frees once.

import Glibc
import SafeFFI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    // C → Swift: the bytes up to the first NUL, as C would see them.
    let cBytes = bytes.prefix { $0 != 0 }
    var terminated = Array(cBytes)
    terminated.append(0)
    let decoded = terminated.withUnsafeBufferPointer { buffer in
        Result { () throws(CStringError) in
            try String(strictCString: UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self))
        }
    }
    let reference = String(validating: cBytes, as: UTF8.self)
    switch decoded {
    case .success(let text):
        precondition(text == reference, "strict decoding disagrees with the standard library")
    case .failure(.invalidUTF8(let offset)):
        precondition(reference == nil, "strict decoding refused valid UTF-8")
        precondition(String(validating: cBytes.prefix(offset), as: UTF8.self) != nil, "offset \(offset) is late")
    case .failure(let other):
        preconditionFailure("unexpected \(other)")
    }

    // Ownership: a malloc'd copy taken and freed on every path (ASan catches a double
    // free or a leak).
    let copy = terminated.withUnsafeBufferPointer { buffer in
        strdup(UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self))
    }
    _ = try? OwnedCString.take(copy, free: { free($0) })

    // Swift → C: a string holding a NUL is refused at the first NUL's UTF-8 offset.
    let text = String(decoding: bytes, as: UTF8.self)
    let firstNUL = Array(text.utf8).firstIndex(of: 0)
    do {
        let length = try text.withCheckedCString { strlen($0) }
        precondition(firstNUL == nil && length == text.utf8.count, "a NUL slipped through")
    } catch {
        precondition(error == .interiorNUL(offset: firstNUL ?? -1), "wrong offset: \(error)")
    }
    return 0
}
