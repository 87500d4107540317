// C strings read in place: validated as strictly as `String(strictCString:)`, never copied.

// The two `withStrictCString` overloads differ in what the body throws; the type checker
// chooses by whether the closure declares a thrown error type.
// swift-format-ignore: AmbiguousTrailingClosureOverload

/// Calls `body` with a validated UTF-8 view of a NUL-terminated C string, in place.
///
/// The view is `String(strictCString:)` without the copy: the bytes up to the NUL are
/// checked as strict UTF-8 (nothing is repaired) and lent to `body` as a `UTF8Span`, so
/// reading a C string that is not kept — compared, hashed, parsed, measured — allocates
/// nothing. Make a `String` of it (`String(copying:)`) only for the text you keep.
///
/// ```swift
/// let expected = Array("default".utf8)
/// let isDefault = try unsafe withStrictCString(get_profile_name(handle)) { name in
///     name.span.count == expected.count && name.span.indices.allSatisfy { name.span[$0] == expected[$0] }
/// }
/// ```
///
/// The view is valid only during `body`; the pointer must stay valid and unchanged until
/// `body` returns.
///
/// - Throws: ``BoundaryError/invalidUTF8(offset:)`` with the offset of the first invalid
///   byte. `body` is not called.
@unsafe
@inlinable
public func withStrictCString<Result: ~Copyable>(
    _ pointer: UnsafePointer<CChar>,
    _ body: (UTF8Span) -> Result
) throws(BoundaryError) -> Result {
    // SAFETY: the caller's guarantee, passed on (this function is @unsafe).
    try unsafe withStrictCString(pointer) { (text) throws(BoundaryError) in body(text) }
}

/// Calls `body` with a validated UTF-8 view of a NUL-terminated C string, as
/// ``withStrictCString(_:_:)-(_,(UTF8Span)->Result)`` does, for bodies that throw their own
/// typed error.
///
/// - Throws: `E(BoundaryError.invalidUTF8(offset:))` when the bytes are not valid UTF-8
///   (`body` is not called), or what `body` throws.
@unsafe
@inlinable
public func withStrictCString<Result: ~Copyable, E: BoundaryErrorRepresentable>(
    _ pointer: UnsafePointer<CChar>,
    _ body: (UTF8Span) throws(E) -> Result
) throws(E) -> Result {
    // SAFETY: the caller guarantees a NUL-terminated string that stays valid until `body`
    // returns (this function is @unsafe); strlen bounds the span at its NUL.
    let count = unsafe LibC.strlen(pointer)
    let bytes = unsafe Span(_unsafeStart: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: count)
    let text: UTF8Span
    do {
        text = try UTF8Span(validating: bytes)
    } catch {
        throw E(.invalidUTF8(offset: error.byteOffsets.lowerBound))
    }
    return try body(text)
}
