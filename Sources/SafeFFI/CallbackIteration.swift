// C iterations (`*_foreach(…, callback, payload)`) driven by a Swift closure that may stop
// them, by its answer or by throwing.

/// What a Swift closure tells a C iteration after each element.
public enum IterationStep: Sendable, Equatable, Hashable {
    /// Go on to the next element.
    case `continue`
    /// Stop: the C callback returns a non-zero value, and C returns without visiting more.
    case stop
}

/// How a C iteration that a Swift closure drove came to an end.
public struct IterationEnd<Status> {
    /// What the C function returned.
    public let status: Status
    /// Whether the closure stopped it (by ``IterationStep/stop``); `false` when C visited
    /// every element, or failed by itself.
    public let stoppedByHandler: Bool

    @usableFromInline
    init(status: Status, stoppedByHandler: Bool) {
        self.status = status
        self.stoppedByHandler = stoppedByHandler
    }
}

extension IterationEnd: Sendable where Status: Sendable {}
extension IterationEnd: Equatable where Status: Equatable {}

extension CallbackContext {
    /// Calls `body` with a context for a C iteration whose callback returns 0 to go on and
    /// non-zero to stop, and `handler` for each element.
    ///
    /// The handler may stop the iteration by returning ``IterationStep/stop`` or by
    /// throwing. Either way the C callback returns `stopStatus`, C returns, and then — never
    /// inside C — a thrown error is rethrown from this call. The error cannot unwind
    /// through C frames, and no element after it is delivered.
    ///
    /// The C callback answers with ``step(_:through:)``:
    ///
    /// ```swift
    /// let end = try CallbackContext<String>.withContext(stoppable: { path throws(MyError) in
    ///     try visit(path)
    ///     return .continue
    /// }) { context in
    ///     library_foreach(handle, { path, context in
    ///         unsafe CallbackContext<String>.step(String(cString: path!), through: context)
    ///     }, context)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - handler: called for each element C delivers, on the thread C calls it on.
    ///   - stopStatus: what the C callback returns to stop (not 0); C usually passes it on
    ///     as its own result.
    ///   - body: calls the C function with the context, which is valid only during `body`.
    /// - Returns: what `body` returned, and whether the handler stopped the iteration.
    /// - Throws: the handler's error, after C has returned.
    @inlinable
    public static func withContext<E: Error, Status>(
        stoppable handler: (Argument) throws(E) -> IterationStep, stopStatus: CInt = 1,
        _ body: (UnsafeMutableRawPointer) -> Status
    ) throws(E) -> IterationEnd<Status> {
        precondition(stopStatus != 0, "0 tells C to go on: a stop status is not 0")
        var failure: E? = nil
        var stopped = false
        let answer: (Argument) -> CInt = { argument in
            // A handler that stopped is not called again, even if C ignores the stop.
            guard !stopped else { return stopStatus }
            do throws(E) {
                switch try handler(argument) {
                case .continue: return 0
                case .stop:
                    stopped = true
                    return stopStatus
                }
            } catch {
                failure = error
                stopped = true
                return stopStatus
            }
        }
        // SAFETY: forwards `body` unchanged; withContext(returning:) keeps its contract.
        let status = unsafe withContext(returning: answer, body)
        if let failure { throw failure }
        return IterationEnd(status: status, stoppedByHandler: stopped)
    }

    /// Calls the handler behind `context` with `argument` and returns what the C callback
    /// must return: 0 to go on, the stop status to stop.
    ///
    /// Call it only from the C callback of the iteration ``withContext(stoppable:stopStatus:_:)``
    /// started, with the same `Argument` type, while that call is running.
    @inlinable
    @unsafe
    public static func step(_ argument: Argument, through context: UnsafeMutableRawPointer?) -> CInt {
        // SAFETY: by the contract above, the context is the one withContext(stoppable:)
        // lent, which holds an answering handler of these types.
        unsafe call(argument, through: context)
    }
}
