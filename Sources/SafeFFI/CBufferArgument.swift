// Contiguous memory handed to a C function that was never annotated: a pointer and a
// length in the C parameter's own integer type, converted exactly, in one call.

// The three forms differ only in the view they lend; each converts the count the same way.
extension Span where Element: BitwiseCopyable {
    /// Calls `body` with the span's first element and its count as a `Length`, for a C
    /// function taking a pointer and a length (`const Bytef *buf, uInt len`).
    ///
    /// The pointer is never NULL, even for an empty span (it then points at no element,
    /// and C must read none): C APIs that take NULL to mean "no value" see an empty value.
    /// The pointer is valid only during `body`; C must not keep it.
    ///
    /// For a header you can annotate, or describe in API notes, prefer `counted_by`: the
    /// compiler then imports the C function taking a `Span`, and no pointer is needed.
    ///
    /// - Throws: `E(BoundaryError)` when the count does not fit `Length` (a
    ///   5 GB span for a 32-bit length); `body` is not called. Otherwise what `body` throws.
    @inlinable
    public func withCArgument<Length: FixedWidthInteger, Result: ~Copyable, E: BoundaryErrorRepresentable>(
        _ body: (UnsafePointer<Element>, Length) throws(E) -> Result
    ) throws(E) -> Result {
        let length = try Length(checked: count, throwing: E.self)
        // SAFETY: the span's memory holds `count` initialised elements for this borrow; the
        // placeholder address for an empty span is aligned and never read (count 0).
        return try unsafe withUnsafeBufferPointer { (buffer) throws(E) -> Result in
            let start =
                unsafe buffer.baseAddress
                ?? UnsafePointer(bitPattern: MemoryLayout<Element>.alignment).unsafelyUnwrapped
            return try unsafe body(start, length)
        }
    }
}

extension RawSpan {
    /// Calls `body` with the bytes' address and their count as a `Length`, for a C function
    /// taking `const void *` and a length. As ``Swift/Span/withCArgument(_:)``: never NULL,
    /// valid only during `body`.
    ///
    /// - Throws: `E(BoundaryError)` when the count does not fit `Length`.
    @inlinable
    public func withCArgument<Length: FixedWidthInteger, Result: ~Copyable, E: BoundaryErrorRepresentable>(
        _ body: (UnsafeRawPointer, Length) throws(E) -> Result
    ) throws(E) -> Result {
        let length = try Length(checked: byteCount, throwing: E.self)
        // SAFETY: as for Span: `byteCount` bytes valid for this borrow; the placeholder for
        // zero bytes is never read.
        return try unsafe withUnsafeBytes { (buffer) throws(E) -> Result in
            let start = unsafe buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1).unsafelyUnwrapped
            return try unsafe body(start, length)
        }
    }
}

extension MutableSpan where Element: BitwiseCopyable {
    /// Calls `body` with the span's first element and its count as a `Length`, for a C
    /// function that writes into a pointer and a length. As ``Swift/Span/withCArgument(_:)``:
    /// never NULL, valid only during `body`; C may write only within the span.
    ///
    /// - Throws: `E(BoundaryError)` when the count does not fit `Length`.
    @inlinable
    public mutating func withCArgument<
        Length: FixedWidthInteger, Result: ~Copyable, E: BoundaryErrorRepresentable
    >(
        _ body: (UnsafeMutablePointer<Element>, Length) throws(E) -> Result
    ) throws(E) -> Result {
        let length = try Length(checked: count, throwing: E.self)
        // SAFETY: `mutating` gives exclusive access to `count` initialised elements for the
        // call; the placeholder for an empty span is never written (count 0).
        return try unsafe withUnsafeMutableBufferPointer { (buffer) throws(E) -> Result in
            let start =
                unsafe buffer.baseAddress
                ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment).unsafelyUnwrapped
            return try unsafe body(start, length)
        }
    }
}
