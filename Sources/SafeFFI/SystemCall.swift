// libc calls that report failure through errno: errno read at the call, EINTR retried.

/// A libc call that failed: the function, the `errno` it left and the C library's message.
///
/// The code is the value of `errno` read immediately after the failed call (see
/// ``SystemCall/run(_:retryingInterrupts:_:)``), never later: any further call, a
/// suspension or a move to another thread could change it.
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The C function that failed, such as `"connect"`.
    public let function: String
    /// The `errno` value, such as `ECONNREFUSED`.
    public let code: CInt
    /// The C library's text for `code` (`strerror_r`), such as "Connection refused".
    public let message: String

    /// An error for `code`, with the C library's message for it.
    public init(function: String, code: CInt) {
        self.function = function
        self.code = code
        self.message = Self.message(for: code)
    }

    public var description: String { "\(function) failed: \(message) (errno \(code))" }

    /// `strerror_r`'s message (the POSIX form, which fills the caller's buffer), decoded
    /// strictly. A code the C library does not know, or text that is not UTF-8, is described
    /// by its number alone rather than by repaired text.
    static func message(for code: CInt) -> String {
        var status: CInt = 0
        // SAFETY: strerror_r writes at most `buffer.count` bytes, NUL included, into the
        // buffer it is given; the text's length is measured inside that buffer only.
        let text = unsafe [CChar](cWritingUpTo: 128) { buffer in
            guard let start = buffer.baseAddress else { return .wrote(0) }
            status = unsafe LibC.strerror_r(code, start, buffer.count)
            if status == LibC.ERANGE && buffer.count < 4096 { return .needsCapacity(buffer.count * 4) }
            guard status == 0 else { return .wrote(0) }
            return .wrote(unsafe buffer.firstIndex(of: 0) ?? buffer.count)
        }
        let bytes = text.map { UInt8(bitPattern: $0) }
        guard status == 0, let message = try? String(strictUTF8: bytes.span), !message.isEmpty else {
            return "error \(code)"
        }
        return message
    }
}

/// Runs libc functions that return -1 and set `errno` when they fail.
public enum SystemCall {
    /// Calls `call` — one libc function that returns -1 and sets `errno` on failure — and
    /// returns its result, or throws with the `errno` it left.
    ///
    /// `errno` is read in the same synchronous step as the call: `call` cannot suspend, and
    /// nothing runs between its return and the read. A call interrupted by a signal
    /// (`EINTR`) is made again, unless `retryingInterrupts` is `false` — as for `close`,
    /// which on Linux releases the descriptor even when interrupted, so a retry could
    /// close a descriptor another thread has just been given.
    ///
    /// ```swift
    /// let connection = try SystemCall.run("accept") { accept(listener, nil, nil) }
    /// ```
    ///
    /// - Parameters:
    ///   - function: the C function's name, for the error.
    ///   - retryingInterrupts: whether `EINTR` makes the call again (the default) or throws.
    ///   - call: makes exactly one libc call and returns its result, without reading `errno`.
    /// - Throws: ``SystemCallError`` with `function` and the `errno` value.
    @inlinable
    public static func run<Value: FixedWidthInteger & SignedInteger>(
        _ function: String, retryingInterrupts: Bool = true, _ call: () -> Value
    ) throws(SystemCallError) -> Value {
        while true {
            let result = call()
            // Read before anything else runs; it is only meaningful when the result is -1.
            let code = LibC.errno
            guard result == -1 else { return result }
            if code == LibC.EINTR && retryingInterrupts { continue }
            throw SystemCallError(function: function, code: code)
        }
    }
}
