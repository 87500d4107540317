// C strings into Swift: bad bytes are reported, never repaired; NULL is the caller's to
// name before decoding.

extension String {
    /// Decodes a NUL-terminated C string as strict UTF-8.
    ///
    /// Unlike `String(cString:)`, which replaces invalid bytes with U+FFFD, this
    /// initialiser throws. The pointer is not optional: a C function that may return NULL
    /// means something by it ("no name set", "no message"), and the caller says what, before
    /// decoding — `guard let pointer = get_name() else { return nil }`.
    ///
    /// The bytes are copied; the pointer need only be valid during this call.
    ///
    /// ```swift
    /// let name = try unsafe String(strictCString: pointer)                        // BoundaryError
    /// let name = try unsafe String(strictCString: pointer, throwing: MyError.self) // MyError
    /// ```
    ///
    /// - Throws: `E(.invalidUTF8(offset:))` with the offset of the first invalid byte; `E`
    ///   is ``BoundaryError`` unless `throwing` names another type.
    @unsafe
    @inlinable
    public init<E: BoundaryErrorRepresentable>(
        strictCString pointer: UnsafePointer<CChar>, throwing _: E.Type = BoundaryError.self
    ) throws(E) {
        // SAFETY: the caller guarantees a valid NUL-terminated string (this initialiser is
        // @unsafe); the standard library's validating decoder reads up to the NUL.
        guard let decoded = unsafe String(validatingCString: pointer) else {
            throw E(unsafe Self.refusal(of: pointer))
        }
        // Inlinable, with the refusal out of line: a valid string costs what the standard
        // library's decoder costs.
        self = decoded
    }

    /// Where the bytes of an invalid C string stop being UTF-8: run only for invalid input.
    @unsafe
    @usableFromInline
    static func refusal(of pointer: UnsafePointer<CChar>) -> BoundaryError {
        // SAFETY: the caller's valid NUL-terminated string; strlen bounds it at its NUL.
        let length = unsafe LibC.strlen(pointer)
        let bytes = unsafe UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self)
        // SAFETY: `length` bytes from `bytes` are the string's contents, as measured.
        let offset = unsafe UTF8Validation.firstInvalidOffset(
            in: UnsafeBufferPointer(start: bytes, count: length).span)
        return .invalidUTF8(offset: offset ?? length)
    }

    /// Decodes bytes that came from C as strict UTF-8, for C APIs that return a pointer
    /// and a length instead of a NUL-terminated string. NUL bytes are kept.
    ///
    /// - Throws: `E(.invalidUTF8(offset:))` with the offset of the first invalid byte; `E`
    ///   is ``BoundaryError`` unless `throwing` names another type.
    public init<E: BoundaryErrorRepresentable>(
        strictUTF8 bytes: Span<UInt8>, throwing _: E.Type = BoundaryError.self
    ) throws(E) {
        do {
            // One validation: a UTF8Span's bytes are known valid, so the copy does not check
            // them again (String(decoding:as:) would, repairing what it finds).
            self = String(copying: try UTF8Span(validating: bytes))
        } catch {
            throw E(.invalidUTF8(offset: error.byteOffsets.lowerBound))
        }
    }
}

/// UTF-8 well-formedness, with the position of the first fault.
public enum UTF8Validation {
    /// The offset of the first byte that does not begin or continue a well-formed UTF-8
    /// sequence, or `nil` when all of `bytes` is valid. Overlong forms, surrogates
    /// (U+D800–U+DFFF), values above U+10FFFF and truncated sequences are invalid.
    public static func firstInvalidOffset(in bytes: Span<UInt8>) -> Int? {
        // The standard library's validator: the same rules (Unicode Table 3-7), faster than
        // a byte loop, and its error's range starts where this function's answer does.
        do {
            _ = try UTF8Span(validating: bytes)
            return nil
        } catch {
            return error.byteOffsets.lowerBound
        }
    }
}
