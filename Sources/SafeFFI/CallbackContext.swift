// Synchronous C callbacks with a Swift closure, scoped so the context cannot dangle.

/// A Swift closure handed to C as a `void *user_data` for the length of one call.
///
/// C callback APIs take a function pointer and an untyped context pointer. A
/// `@convention(c)` function cannot capture anything, so the closure travels in the
/// context. ``withContext(_:_:)`` gives C a pointer to the closure that is valid only
/// during `body`; the C function-pointer side calls ``deliver(_:to:)``. A callback costs
/// no allocation, and C reaches the closure with no retain and no copy
/// (Benchmarks/: callback-1e6).
///
/// The closure cannot throw: a Swift error must never unwind through C frames. Report
/// failures through captured state instead.
///
/// ```swift
/// CallbackContext<CInt>.withContext({ total += Int($0) }) { context in
///     register_callback({ value, context in
///         unsafe CallbackContext<CInt>.deliver(value, to: context)
///     }, context)
///     process_items(items, count)
///     unregister_callback()   // before the context ends
/// }
/// ```
public enum CallbackContext<Argument> {
    /// Calls `body` with a context pointer that leads back to `handler`.
    ///
    /// The pointer is valid only during `body`. Whatever registered it with C must be
    /// unregistered before `body` returns.
    ///
    /// Inlinable, so each use is specialised for its `Argument` (Benchmarks/: callback-1e6).
    @inlinable
    public static func withContext<Result: ~Copyable>(
        _ handler: (Argument) -> Void,
        _ body: (UnsafeMutableRawPointer) -> Result
    ) -> Result {
        withoutActuallyEscaping(handler) { handler in
            // SAFETY: the box, and the closure in it, outlive `body`; `body` must not let the
            // pointer outlive the call.
            unsafe lend(Handler(handler), to: body)
        }
    }

    /// Calls the handler behind `context` with `argument`. A NULL context is ignored.
    ///
    /// Call it only from the C callback registered inside ``withContext(_:_:)`` with the
    /// same `Argument` type, while that call is running — never with a context from
    /// ``withContext(returning:_:)``, which holds a handler of another type.
    @inlinable
    @unsafe
    public static func deliver(_ argument: Argument, to context: UnsafeMutableRawPointer?) {
        // SAFETY: by the contract above, `context` is the address of the Handler withContext
        // lent for this Argument type, alive until its call returns.
        guard let context = unsafe context else { return }
        unsafe borrow(Handler.self, at: context) { $0.handler(argument) }
    }

    /// Calls `body` with a context pointer that leads back to `handler`, a closure that
    /// returns a value to C: a comparator, a read or write callback.
    ///
    /// As with `withContext(_:_:)`, the pointer is valid only during
    /// `body`. The C callback answers with ``call(_:through:)``.
    ///
    /// ```swift
    /// CallbackContext<(UnsafeRawPointer?, UnsafeRawPointer?)>.withContext(returning: compare) { context in
    ///     qsort_r(base, count, size, { a, b, context in
    ///         unsafe CallbackContext<(UnsafeRawPointer?, UnsafeRawPointer?)>.call((a, b), through: context)
    ///     }, context)
    /// }
    /// ```
    @inlinable
    public static func withContext<Returned, Result: ~Copyable>(
        returning handler: (Argument) -> Returned,
        _ body: (UnsafeMutableRawPointer) -> Result
    ) -> Result {
        withoutActuallyEscaping(handler) { handler in
            // SAFETY: as in withContext(_:_:).
            unsafe lend(Answering(handler), to: body)
        }
    }

    /// Calls the handler behind `context` with `argument` and returns its answer.
    ///
    /// Call it only from the C callback registered inside
    /// ``withContext(returning:_:)`` with the same `Argument` and `Returned` types, while
    /// that call is running — never with a context from ``withContext(_:_:)``, which holds a
    /// handler of another type. A NULL context stops the process: there is no answer to
    /// give C.
    @inlinable
    @unsafe
    public static func call<Returned>(_ argument: Argument, through context: UnsafeMutableRawPointer?) -> Returned {
        // SAFETY: by the contract above, `context` is the address of the Answering box
        // withContext(returning:) lent for these types, alive until its call returns.
        guard let context = unsafe context else {
            preconditionFailure("a C callback was called with a NULL context")
        }
        return unsafe borrow(Answering<Returned>.self, at: context) { $0.handler(argument) }
    }

    // The closure lives in an immutable field of a final class, and C's context is the
    // class's address: a call through a borrowed reference then uses the closure where it
    // lies; a closure in a variable would be copied, retained and released around every
    // call (callback-1e6; docs/BENCHMARKS.md). Two classes, because a generic result type
    // would add a thunk per call for Void.

    /// A handler with no answer, as withContext(_:_:) lends it.
    @usableFromInline
    final class Handler {
        @usableFromInline let handler: (Argument) -> Void

        @inlinable
        init(_ handler: @escaping (Argument) -> Void) {
            self.handler = handler
        }
    }

    /// A handler with an answer, as withContext(returning:_:) lends it.
    @usableFromInline
    final class Answering<Returned> {
        @usableFromInline let handler: (Argument) -> Returned

        @inlinable
        init(_ handler: @escaping (Argument) -> Returned) {
            self.handler = handler
        }
    }

    /// Calls `body` with `box`'s address, keeping `box` alive until `body` returns.
    @inlinable
    @unsafe
    static func lend<Box: AnyObject, Result: ~Copyable>(
        _ box: Box, to body: (UnsafeMutableRawPointer) -> Result
    ) -> Result {
        withExtendedLifetime(box) {
            // SAFETY: the address is not retained; the caller's `body` must not let it outlive
            // the call, during which withExtendedLifetime keeps the box alive.
            unsafe body(Unmanaged.passUnretained(box).toOpaque())
        }
    }

    /// Calls `use` with the box at `context`, which a `lend` call keeps alive.
    @inlinable
    @unsafe
    static func borrow<Box: AnyObject, Answer>(
        _ type: Box.Type, at context: UnsafeMutableRawPointer, _ use: (Box) -> Answer
    ) -> Answer {
        // SAFETY: `context` is the address of a live Box (the caller's contract). A guaranteed
        // reference skips the retain and release of the box per call that
        // `takeUnretainedValue()` would add (callback-1e6; docs/BENCHMARKS.md). There is no
        // public spelling of a borrowed reference from an address.
        unsafe Unmanaged<Box>.fromOpaque(context)._withUnsafeGuaranteedRef(use)
    }
}
