// Counts and sizes crossing into C: converted exactly or refused, never truncated.

/// A value that does not fit the integer type a C parameter needs.
public struct IntegerConversionError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The value as written in decimal.
    public let value: String
    /// The type it had to fit, such as `Int32`.
    public let targetType: String
    /// The target type's range, such as `-2147483648...2147483647`.
    public let targetRange: String

    /// Creates an error for `value` missing `targetType`'s `targetRange`.
    public init(value: String, targetType: String, targetRange: String) {
        self.value = value
        self.targetType = targetType
        self.targetRange = targetRange
    }

    public var description: String {
        "\(value) does not fit in \(targetType) (\(targetRange))"
    }
}

extension FixedWidthInteger {
    /// Converts `source` exactly, or throws when it is out of this type's range.
    ///
    /// Use it for every count or size passed to C: `Int` → `CInt` silently truncates
    /// with `CInt(truncatingIfNeeded:)`, and traps with `CInt(_:)`.
    ///
    /// - Throws: ``IntegerConversionError`` naming the value and the range it missed.
    @inlinable
    public init<Source: BinaryInteger>(checked source: Source) throws(IntegerConversionError) {
        guard let exact = Self(exactly: source) else {
            throw IntegerConversionError(
                value: String(source),
                targetType: String(describing: Self.self),
                targetRange: "\(Self.min)...\(Self.max)")
        }
        self = exact
    }
}

/// C's `size_t`, which Swift imports as `Int`: the type checker cannot stop a negative
/// count from reaching C as an enormous size, so this does.
public enum CSize {
    /// Returns `count` when it is a valid `size_t` (not negative), or throws.
    ///
    /// - Throws: ``IntegerConversionError`` with target type `size_t`.
    @inlinable
    public static func checked(_ count: Int) throws(IntegerConversionError) -> Int {
        guard count >= 0 else {
            throw IntegerConversionError(value: String(count), targetType: "size_t", targetRange: "0...\(Int.max)")
        }
        return count
    }
}

/// An error type that can carry an ``IntegerConversionError``, so a checked conversion
/// throws it directly and a call that converts counts needs no `do`/`catch` of its own.
///
/// ```swift
/// extension ZlibError: IntegerConversionErrorRepresentable { … }
/// let length = try CUnsignedLong(checked: bytes.count, throwing: ZlibError.self)
/// ```
public protocol IntegerConversionErrorRepresentable: Error {
    /// Wraps a value that did not fit the integer type C needs.
    init(_ error: IntegerConversionError)
}

extension IntegerConversionError: IntegerConversionErrorRepresentable {
    /// Returns `error` itself.
    public init(_ error: IntegerConversionError) {
        self = error
    }
}

extension FixedWidthInteger {
    /// Converts `source` exactly, or throws `E` wrapping an ``IntegerConversionError``.
    ///
    /// The same check as ``init(checked:)``, for code that throws its own error type.
    ///
    /// - Throws: `E(IntegerConversionError)` naming the value and the range it missed.
    @inlinable
    public init<Source: BinaryInteger, E: IntegerConversionErrorRepresentable>(
        checked source: Source, throwing _: E.Type
    ) throws(E) {
        do {
            self = try Self(checked: source)
        } catch {
            throw E(error)
        }
    }
}
