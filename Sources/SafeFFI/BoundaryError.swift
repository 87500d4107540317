// The one error type for a value that cannot cross between Swift and C, and the one
// protocol through which a wrapper's own error type carries it.

/// Why a value could not cross between Swift and C: a string C would misread, bytes from
/// C that are not text, or a number that does not fit the integer type C needs.
///
/// String offsets count UTF-8 bytes from the start of the string, so a message can point
/// at the exact byte that was refused. Integer values and bounds are held as `Int128`,
/// which holds every value of the integer types C counts and sizes use (up to 64 bits); a
/// 128-bit value beyond it is clamped.
public enum BoundaryError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A Swift string holds a NUL byte at `offset`; C would silently cut it there.
    case interiorNUL(offset: Int)
    /// Bytes that came from C are not valid UTF-8; the first bad byte is at `offset`.
    case invalidUTF8(offset: Int)
    /// `value` does not fit `targetType` (such as `Int32` or `size_t`), whose values are
    /// `targetRange`.
    case outOfRange(value: Int128, targetType: String, targetRange: ClosedRange<Int128>)

    /// The refusal of `value` for `Target`: its name and its range.
    public static func outOfRange<Source: BinaryInteger, Target: FixedWidthInteger>(
        _ value: Source, for _: Target.Type
    ) -> BoundaryError {
        .outOfRange(
            value: Int128(clamping: value), targetType: String(describing: Target.self),
            targetRange: Int128(clamping: Target.min)...Int128(clamping: Target.max))
    }

    public var description: String {
        switch self {
        case .interiorNUL(let offset):
            "string contains a NUL byte at offset \(offset); C would see it truncated there"
        case .invalidUTF8(let offset):
            "C string is not valid UTF-8: invalid byte at offset \(offset)"
        case .outOfRange(let value, let targetType, let targetRange):
            "\(value) does not fit in \(targetType) (\(targetRange.lowerBound)...\(targetRange.upperBound))"
        }
    }
}

/// An error type that can carry a ``BoundaryError``, so SafeFFI's checks throw it
/// directly and a wrapper needs no `do`/`catch` to translate them.
///
/// Every SafeFFI check throws ``BoundaryError`` unless told otherwise: pass
/// `throwing: MyError.self`, or give a closure that throws `MyError`.
///
/// ```swift
/// enum ZlibError: BoundaryErrorRepresentable {
///     case boundary(BoundaryError)
///     case library(code: CInt, message: String)
///     init(_ error: BoundaryError) { self = .boundary(error) }
/// }
/// let length = try CUnsignedLong(checked: bytes.count, throwing: ZlibError.self)
/// ```
public protocol BoundaryErrorRepresentable: Error {
    /// Wraps a value that could not cross the boundary.
    init(_ error: BoundaryError)
}

extension BoundaryError: BoundaryErrorRepresentable {
    /// Returns `error` itself.
    @inlinable
    public init(_ error: BoundaryError) {
        self = error
    }
}
