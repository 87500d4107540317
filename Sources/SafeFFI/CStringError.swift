// The one error type for strings crossing the boundary, in either direction.

/// Why a string could not cross between Swift and C.
///
/// Offsets count UTF-8 bytes from the start of the string, so a message can point at
/// the exact byte that was refused.
public enum CStringError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A Swift string holds a NUL byte at `offset`; C would silently cut it there.
    case interiorNUL(offset: Int)
    /// Bytes that came from C are not valid UTF-8; the first bad byte is at `offset`.
    case invalidUTF8(offset: Int)

    public var description: String {
        switch self {
        case .interiorNUL(let offset):
            "string contains a NUL byte at offset \(offset); C would see it truncated there"
        case .invalidUTF8(let offset):
            "C string is not valid UTF-8: invalid byte at offset \(offset)"
        }
    }
}
