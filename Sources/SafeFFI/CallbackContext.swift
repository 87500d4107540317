// Synchronous C callbacks with a Swift closure, scoped so the context cannot dangle.

/// A Swift closure handed to C as a `void *user_data` for the length of one call.
///
/// C callback APIs take a function pointer and an untyped context pointer. A
/// `@convention(c)` function cannot capture anything, so the closure travels in the
/// context. ``withContext(_:_:)`` gives C a pointer to the closure that is valid only
/// during `body`; the C function-pointer side calls ``deliver(_:to:)``. No allocation,
/// no retain.
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
        // SAFETY: the same storage as a handler that returns a value, under the same
        // contract; `deliver` reads it as `(Argument) -> Void`, the type stored.
        unsafe withContext(returning: handler, body)
    }

    /// Calls the handler behind `context` with `argument`. A NULL context is ignored.
    ///
    /// Call it only from the C callback registered inside ``withContext(_:_:)`` with the
    /// same `Argument` type, while that call is running.
    @inlinable
    @unsafe
    public static func deliver(_ argument: Argument, to context: UnsafeMutableRawPointer?) {
        // SAFETY: by the contract above, `context` points at the handler withContext stored
        // for this Argument type and keeps alive until its call returns.
        guard let context = unsafe context else { return }
        let handler = unsafe context.assumingMemoryBound(to: ((Argument) -> Void).self)
        unsafe handler.pointee(argument)
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
            var stored = handler
            // SAFETY: `stored` lives on this frame for the whole of `body`; the pointer is not
            // retained and `body` must not let it outlive the call.
            return unsafe withUnsafeMutablePointer(to: &stored) { pointer in
                unsafe body(UnsafeMutableRawPointer(pointer))
            }
        }
    }

    /// Calls the handler behind `context` with `argument` and returns its answer.
    ///
    /// Call it only from the C callback registered inside
    /// ``withContext(returning:_:)`` with the same `Argument` and `Returned` types, while
    /// that call is running. A NULL context stops the process: there is no answer to give C.
    @inlinable
    @unsafe
    public static func call<Returned>(_ argument: Argument, through context: UnsafeMutableRawPointer?) -> Returned {
        // SAFETY: by the contract above, `context` points at the handler withContext(returning:)
        // stored for these types, alive until its call returns.
        guard let context = unsafe context else {
            preconditionFailure("a C callback was called with a NULL context")
        }
        let handler = unsafe context.assumingMemoryBound(to: ((Argument) -> Returned).self)
        return unsafe handler.pointee(argument)
    }
}
