// Opaque C handles: one owner, destroyed exactly once.

/// An opaque handle created by a C library, owned by Swift, destroyed exactly once.
///
/// `Handle` is the C handle's Swift type — usually `OpaquePointer` or
/// `UnsafeMutableRawPointer`. The handle is passed to C only inside
/// ``withUnsafeHandle(_:)``, so it cannot be used after the owner ends.
@safe
public struct OwnedHandle<Handle>: ~Copyable {
    private let handle: Handle
    private let free: (Handle) -> Void

    /// Takes ownership of `handle`, or returns `nil` when it is NULL.
    ///
    /// - Parameters:
    ///   - handle: a handle that nothing else will destroy.
    ///   - free: the C library's destructor, called exactly once.
    @unsafe
    public init?(adopting handle: Handle?, free: @escaping (Handle) -> Void) {
        guard let handle else { return nil }
        self.handle = handle
        self.free = free
    }

    /// Takes ownership of `handle`, which is known not to be NULL — a handle a C function
    /// returned non-NULL, or wrote into an out-parameter on success.
    ///
    /// A separate label from ``init(adopting:free:)``: C functions from headers without
    /// nullability return implicitly unwrapped pointers, which would fit both.
    ///
    /// - Parameters:
    ///   - handle: a handle that nothing else will destroy.
    ///   - free: the C library's destructor, called exactly once.
    @unsafe
    public init(adoptingNonNull handle: Handle, free: @escaping (Handle) -> Void) {
        self.handle = handle
        self.free = free
    }

    deinit {
        free(handle)
    }

    /// Calls `body` with the raw handle, for passing it to C. The handle is valid only
    /// during `body`; do not destroy it or keep it.
    @unsafe
    public func withUnsafeHandle<Result: ~Copyable, E: Error>(
        _ body: (Handle) throws(E) -> Result
    ) throws(E) -> Result {
        try body(handle)
    }
}
