// Arrays and buffers that C allocated: owned, freed exactly once, seen through spans.

/// A contiguous array of `count` elements allocated by C, owned by Swift.
///
/// The memory is released with the deallocator given at adoption when the owner ends.
/// Access is through ``withSpan(_:)`` and ``withMutableSpan(_:)``, whose views cannot
/// outlive the call, or through a copy (``copyElements()``). Not `Sendable`: it owns
/// mutable memory, and sharing it across threads would race.
@safe
public struct OwnedBuffer<Element: BitwiseCopyable>: ~Copyable {
    // SAFETY (invariant, for every `unsafe` use below): `base` holds `count` initialised
    // elements owned by this value from adoption until deinit, which frees them once.
    private let base: UnsafeMutablePointer<Element>
    /// The number of elements.
    public let count: Int
    private let free: (UnsafeMutablePointer<Element>) -> Void

    /// Takes ownership of `count` elements at `pointer`, or returns `nil` when the
    /// pointer is NULL (nothing to own, nothing to free).
    ///
    /// - Parameters:
    ///   - pointer: memory holding at least `count` initialised elements, that nothing
    ///     else will free.
    ///   - count: the number of elements; must not be negative when `pointer` is not NULL.
    ///   - free: the C library's deallocator, called exactly once.
    @unsafe
    public init?(
        adopting pointer: UnsafeMutablePointer<Element>?,
        count: Int,
        free: @escaping (UnsafeMutablePointer<Element>) -> Void
    ) {
        // SAFETY: the caller hands over `count` initialised elements nothing else frees (the
        // contract above); from here this value alone owns them.
        guard let pointer = unsafe pointer else { return nil }
        precondition(count >= 0, "OwnedBuffer count must not be negative")
        unsafe self.base = pointer
        self.count = count
        unsafe self.free = free
    }

    deinit {
        // SAFETY: the one free, with the adopter's deallocator; nothing reads it after.
        unsafe free(base)
    }

    /// Whether the buffer holds no elements.
    public var isEmpty: Bool { count == 0 }

    /// Calls `body` with a read-only view of the elements, valid only during `body`.
    public func withSpan<Result: ~Copyable, E: Error>(
        _ body: (Span<Element>) throws(E) -> Result
    ) throws(E) -> Result {
        // SAFETY: `base` holds `count` initialised elements until deinit, which cannot
        // run during this borrow; the span cannot escape `body`.
        try unsafe body(Span(_unsafeStart: base, count: count))
    }

    /// Calls `body` with a mutable view of the elements, valid only during `body`.
    /// Exclusive access to the owner guarantees no other view exists meanwhile.
    public mutating func withMutableSpan<Result: ~Copyable, E: Error>(
        _ body: (inout MutableSpan<Element>) throws(E) -> Result
    ) throws(E) -> Result {
        // SAFETY: as in withSpan; `mutating` gives exclusive access for the call.
        var span = unsafe MutableSpan(_unsafeStart: base, count: count)
        return try body(&span)
    }

    /// A Swift array holding a copy of the elements.
    public func copyElements() -> [Element] {
        withSpan { span in
            // SAFETY: exactly `span.count` slots are written before `initialized` says so.
            unsafe Array(unsafeUninitializedCapacity: span.count) { storage, initialized in
                for index in span.indices {
                    unsafe storage[index] = span[index]
                }
                initialized = span.count
            }
        }
    }

    /// The element at `index`, bounds-checked.
    public subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "OwnedBuffer index out of range")
        // SAFETY: the index was checked against `count` just above.
        return unsafe base[index]
    }

    /// Calls `body` with the raw pointer, for passing the memory back to C.
    /// The pointer is valid only during `body`; do not free it.
    @unsafe
    public mutating func withUnsafeMutablePointer<Result: ~Copyable, E: Error>(
        _ body: (UnsafeMutablePointer<Element>) throws(E) -> Result
    ) throws(E) -> Result {
        // SAFETY: the memory stays owned and allocated for the whole call; the method is
        // itself @unsafe, so the caller answers for not keeping or freeing the pointer.
        try unsafe body(base)
    }
}

@available(*, unavailable, message: "OwnedBuffer owns mutable C memory; share copies instead")
extension OwnedBuffer: Sendable {}
