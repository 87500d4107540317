// Counts and sizes crossing into C: converted exactly or refused, never truncated.

extension FixedWidthInteger {
    /// Converts `source` exactly, or throws when it is out of this type's range.
    ///
    /// Use it for every count or size passed to C: `CInt(truncatingIfNeeded:)` silently
    /// truncates an `Int`, and `CInt(_:)` traps.
    ///
    /// ```swift
    /// let length = try CInt(checked: bytes.count)                        // BoundaryError
    /// let length = try CInt(checked: bytes.count, throwing: MyError.self) // MyError
    /// ```
    ///
    /// - Throws: `E(.outOfRange(value:targetType:targetRange:))` naming the value and the
    ///   range it missed; `E` is ``BoundaryError`` unless `throwing` names another type.
    @inlinable
    public init<Source: BinaryInteger, E: BoundaryErrorRepresentable>(
        checked source: Source, throwing _: E.Type = BoundaryError.self
    ) throws(E) {
        guard let exact = Self(exactly: source) else {
            throw E(.outOfRange(source, for: Self.self))
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
    /// - Throws: `E(.outOfRange(value:targetType:targetRange:))` with target type
    ///   `size_t`; `E` is ``BoundaryError`` unless `throwing` names another type.
    @inlinable
    public init<E: BoundaryErrorRepresentable>(
        checkedSize count: Int, throwing _: E.Type = BoundaryError.self
    ) throws(E) {
        guard count >= 0 else {
            throw E(.outOfRange(value: Int128(count), targetType: "size_t", targetRange: 0...Int128(Int.max)))
        }
        self = count
    }
}
