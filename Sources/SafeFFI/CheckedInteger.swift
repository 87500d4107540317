// Counts and sizes crossing into C: converted exactly or refused, never truncated.

/// A value that does not fit the integer type a C parameter needs.
///
/// The value and the bounds are numbers, so a caller can compare them or clamp to them.
/// They are held as `Int128`, which holds every value of the integer types C counts and
/// sizes use (up to 64 bits); a 128-bit value beyond it is clamped.
public struct IntegerConversionError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The value that did not fit.
    public let value: Int128
    /// The name of the type it had to fit, such as `Int32` or `size_t`.
    public let targetType: String
    /// The values the target type holds.
    public let targetRange: ClosedRange<Int128>

    /// Creates an error for `value` missing `targetType`'s `targetRange`.
    public init(value: Int128, targetType: String, targetRange: ClosedRange<Int128>) {
        self.value = value
        self.targetType = targetType
        self.targetRange = targetRange
    }

    /// Creates an error for `value` missing the range of `Target`, named after it.
    public init<Source: BinaryInteger, Target: FixedWidthInteger>(value: Source, target _: Target.Type) {
        self.init(
            value: Int128(clamping: value), targetType: String(describing: Target.self),
            targetRange: Int128(clamping: Target.min)...Int128(clamping: Target.max))
    }

    public var description: String {
        "\(value) does not fit in \(targetType) (\(targetRange.lowerBound)...\(targetRange.upperBound))"
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
            throw IntegerConversionError(value: source, target: Self.self)
        }
        self = exact
    }
}

extension Int {
    /// Returns `count` when it is a valid C `size_t` — not negative — or throws.
    ///
    /// Swift imports `size_t` as `Int`, so the type checker cannot stop a negative count
    /// from reaching C, where it becomes an enormous size. This initialiser does.
    ///
    /// - Throws: ``IntegerConversionError`` with target type `size_t`.
    @inlinable
    public init(checkedSize count: Int) throws(IntegerConversionError) {
        guard count >= 0 else {
            throw IntegerConversionError(value: Int128(count), targetType: "size_t", targetRange: 0...Int128(Int.max))
        }
        self = count
    }

    /// Returns `count` when it is a valid C `size_t`, or throws `E` wrapping an
    /// ``IntegerConversionError``, as ``init(checkedSize:)`` does.
    @inlinable
    public init<E: IntegerConversionErrorRepresentable>(checkedSize count: Int, throwing _: E.Type) throws(E) {
        do {
            self = try Int(checkedSize: count)
        } catch {
            throw E(error)
        }
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
