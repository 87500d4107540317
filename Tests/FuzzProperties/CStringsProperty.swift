// Arbitrary bytes as C strings, both ways: strict decoding must agree with the standard
// library's validator and report the exact first invalid byte; checked C strings must
// refuse exactly the strings that hold a NUL, at its offset; ownership frees once.

import Glibc
import SafeFFI

public struct CStringsProperty: FuzzProperty, Sendable {
    public static let targetName = "FuzzCStrings"

    public init() {}

    public func check(_ input: [UInt8]) throws(PropertyViolation) {
        // C → Swift: the bytes up to the first NUL, as C would see them.
        let cBytes = input.prefix { $0 != 0 }
        let terminated = Array(cBytes) + [0]
        // SAFETY: `terminated` ends with its only NUL and outlives the call.
        let decoded = unsafe terminated.withUnsafeBufferPointer { buffer in
            Result { () throws(BoundaryError) in
                try unsafe String(
                    strictCString: UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self))
            }
        }
        let reference = String(validating: cBytes, as: UTF8.self)
        switch decoded {
        case .success(let text):
            try require(
                text == reference,
                "strict decoding gave \(text.debugDescription), the standard library \(String(describing: reference))")
        case .failure(.invalidUTF8(let offset)):
            try require(reference == nil, "strict decoding refused valid UTF-8 at offset \(offset)")
            try require(
                String(validating: cBytes.prefix(offset), as: UTF8.self) != nil,
                "invalid UTF-8 reported at offset \(offset), after the first invalid byte")
        case .failure(let other):
            throw PropertyViolation("decoding a NUL-terminated string failed with \(other)")
        }

        // Ownership: a malloc'd copy taken and freed on every path (ASan reports a double
        // free or a leak).
        // SAFETY: as above; strdup copies up to the NUL.
        let copy = unsafe terminated.withUnsafeBufferPointer { buffer in
            unsafe strdup(UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self))
        }
        // SAFETY: `copy` is strdup's, owned by nothing else; `free` is its deallocator.
        _ = try? unsafe OwnedCString.take(copy, free: { unsafe free($0) })

        // Swift → C: a string holding a NUL is refused at the first NUL's UTF-8 offset.
        let text = String(decoding: input, as: UTF8.self)
        let firstNUL = Array(text.utf8).firstIndex(of: 0)
        let sent = Result { () throws(BoundaryError) in
            // SAFETY: strlen reads the NUL-terminated copy withCheckedCString lends.
            try unsafe text.withCheckedCString { unsafe strlen($0) }
        }
        switch sent {
        case .success(let length):
            try require(firstNUL == nil, "a string with a NUL at offset \(firstNUL ?? -1) reached C")
            try require(length == text.utf8.count, "C saw \(length) bytes of \(text.utf8.count)")
        case .failure(let error):
            try require(
                error == .interiorNUL(offset: firstNUL ?? -1),
                "refused with \(error), the first NUL being at \(String(describing: firstNUL))")
        }
    }
}
