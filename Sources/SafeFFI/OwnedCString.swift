// Strings that C allocated and the caller must free: freed exactly once, on every path.

/// A NUL-terminated string allocated by C that Swift now owns.
///
/// The string is freed with the deallocator given at adoption when the owner ends —
/// after a successful decode, after a failed one, or when it is never read at all.
/// Being `~Copyable`, it cannot be freed twice.
///
/// ```swift
/// let owned = unsafe OwnedCString(adopting: get_error_message(), free: free_string)
/// let message = try owned?.decode()   // freed when `owned` ends, even if decode throws
/// ```
@safe
public struct OwnedCString: ~Copyable {
    // SAFETY (invariant, for every `unsafe` use below): `pointer` is a valid NUL-terminated
    // string owned by this value from adoption until deinit, which frees it once.
    private let pointer: UnsafeMutablePointer<CChar>
    private let free: (UnsafeMutablePointer<CChar>) -> Void

    /// Takes ownership of `pointer`, or returns `nil` when it is NULL.
    ///
    /// - Parameters:
    ///   - pointer: a NUL-terminated string that nothing else will free.
    ///   - free: the C library's deallocator for it, called exactly once.
    @unsafe
    public init?(
        adopting pointer: UnsafeMutablePointer<CChar>?,
        free: @escaping (UnsafeMutablePointer<CChar>) -> Void
    ) {
        // SAFETY: the caller hands over a string nothing else frees (the contract above);
        // from here the invariant holds.
        guard let pointer = unsafe pointer else { return nil }
        unsafe self.pointer = pointer
        unsafe self.free = free
    }

    deinit {
        // SAFETY: the one free, with the adopter's deallocator; nothing reads it after.
        unsafe free(pointer)
    }

    /// The string's length in bytes, without the terminating NUL.
    public var byteCount: Int {
        // SAFETY: the owner keeps a valid NUL-terminated string until deinit.
        unsafe strlenOwned(pointer)
    }

    /// Decodes the string as strict UTF-8 (a copy; the C string stays owned).
    ///
    /// - Throws: ``BoundaryError/invalidUTF8(offset:)``.
    public func decode() throws(BoundaryError) -> String {
        // SAFETY: the owner keeps a valid NUL-terminated string until deinit.
        try unsafe String(strictCString: pointer)
    }

    /// Calls `body` with a view of the string's bytes (without the NUL).
    /// The view is valid only during `body`.
    public func withBytes<Result: ~Copyable, E: Error>(
        _ body: (Span<UInt8>) throws(E) -> Result
    ) throws(E) -> Result {
        let count = byteCount
        // SAFETY: `count` bytes before the NUL belong to the owned string, which
        // outlives this call; the span cannot escape `body`.
        let bytes = unsafe UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self)
        return try unsafe body(Span(_unsafeStart: bytes, count: count))
    }

    /// Decodes a string that C allocated and frees it, on the success path and the error
    /// path alike. Returns `nil` for NULL (nothing to free).
    ///
    /// This is the allocation-free form of `OwnedCString(adopting:free:)?.decode()`.
    ///
    /// ```swift
    /// let message = try unsafe OwnedCString.take(get_message(), free: free_message)
    /// ```
    ///
    /// - Throws: `E(.invalidUTF8(offset:))` — after freeing the string; `E` is
    ///   ``BoundaryError`` unless `throwing` names another type.
    @unsafe
    public static func take<E: BoundaryErrorRepresentable>(
        _ pointer: UnsafeMutablePointer<CChar>?,
        free: (UnsafeMutablePointer<CChar>) -> Void,
        throwing _: E.Type = BoundaryError.self
    ) throws(E) -> String? {
        // SAFETY: the caller hands over a NUL-terminated string nothing else frees; it is
        // read once and freed once, on every path, by the defer.
        guard let pointer = unsafe pointer else { return nil }
        defer { unsafe free(pointer) }
        return try unsafe String(strictCString: pointer, throwing: E.self)
    }
}

// The two forms differ in what the body throws, as withStrictCString's do.
// swift-format-ignore: AmbiguousTrailingClosureOverload
extension OwnedCString {
    /// Calls `body` with the string validated as strict UTF-8 and viewed in place: the
    /// allocation-free form of ``decode()``, for text that is read and not kept.
    /// The view is valid only during `body`.
    ///
    /// - Throws: ``BoundaryError/invalidUTF8(offset:)``; `body` is not called.
    public func withUTF8Span<Result: ~Copyable>(_ body: (UTF8Span) -> Result) throws(BoundaryError) -> Result {
        // SAFETY: the owner keeps a valid NUL-terminated string until deinit, after this call.
        try unsafe withStrictCString(pointer, body)
    }

    /// Calls `body` with the string validated as strict UTF-8 and viewed in place, as
    /// ``withUTF8Span(_:)-((UTF8Span)->Result)`` does, for bodies that throw their own typed error.
    ///
    /// - Throws: `E(BoundaryError.invalidUTF8(offset:))` (`body` is not called), or what
    ///   `body` throws.
    public func withUTF8Span<Result: ~Copyable, E: BoundaryErrorRepresentable>(
        _ body: (UTF8Span) throws(E) -> Result
    ) throws(E) -> Result {
        // SAFETY: as above.
        try unsafe withStrictCString(pointer, body)
    }
}

// SAFETY: callers pass a valid NUL-terminated string.
@unsafe
private func strlenOwned(_ pointer: UnsafeMutablePointer<CChar>) -> Int {
    unsafe LibC.strlen(pointer)
}
