// Callback contexts that C keeps: alive exactly as long as the registration.

/// A Swift object registered with C as a callback's `user_data`, kept alive until this
/// value ends — and no longer.
///
/// The registration holds the context and C receives an opaque pointer to it. When the
/// registration ends (``end()`` or `deinit`), it calls `unregister` and only then
/// releases the context. The C library's unregister function must not return while a
/// call of that callback is running on another thread (libnative's does not); then no
/// callback can ever see a freed context, and none is leaked.
///
/// The context is `Sendable` because C may call it from any thread. The C function
/// pointer side recovers it with ``context(from:as:)``. Callbacks must not throw into C:
/// catch inside and report through the context.
public struct CallbackRegistration: ~Copyable, Sendable {
    private let endRegistration: @Sendable () -> Void

    /// Registers `context` with C.
    ///
    /// - Parameters:
    ///   - context: the object C's callbacks reach through `user_data`.
    ///   - register: calls the C registration function with the opaque pointer and
    ///     returns what unregistering needs (usually an id). If it throws, nothing is
    ///     kept and the error is rethrown.
    ///   - unregister: calls the C unregistration function with that token. It must wait
    ///     for running calls of the callback to finish.
    public init<Context: AnyObject & Sendable, Token: Sendable, E: Error>(
        context: Context,
        register: (UnsafeMutableRawPointer) throws(E) -> Token,
        unregister: @escaping @Sendable (Token) -> Void
    ) throws(E) {
        // SAFETY: the pointer stays valid while `endRegistration` holds `context`, which
        // it does until C has been told to forget the pointer (see deinit).
        let userData = unsafe Unmanaged.passUnretained(context).toOpaque()
        let token = try unsafe register(userData)
        endRegistration = {
            // The closure owns the context; it is released only when the closure is
            // destroyed, after deinit has unregistered.
            withExtendedLifetime(context) { unregister(token) }
        }
    }

    deinit {
        endRegistration()
    }

    /// Unregisters the callback, waits for its running calls (through C's guarantee),
    /// then releases the context.
    public consuming func end() {}

    /// The context behind a callback's `user_data`, or `nil` for NULL.
    ///
    /// Call it only from a callback registered with a context of this type, while the
    /// registration is alive — which C's unregister guarantee makes true of every call.
    @unsafe
    public static func context<Context: AnyObject>(
        from userData: UnsafeRawPointer?, as _: Context.Type = Context.self
    ) -> Context? {
        // SAFETY: by the contract above, `userData` is a Context the registration retains
        // until unregister has returned; borrowed here without a retain of its own.
        guard let userData = unsafe userData else { return nil }
        return unsafe Unmanaged<Context>.fromOpaque(userData).takeUnretainedValue()
    }
}
