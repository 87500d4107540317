// File descriptors: one owner, closed exactly once.

/// A file descriptor (a socket, a pipe, a file) that Swift owns and closes exactly once.
///
/// The owner cannot be copied, so two owners never close the same descriptor, and once
/// ``close()`` has consumed it the compiler refuses any further use. An owner that goes
/// out of scope without `close()` closes its descriptor then, and loses the error
/// `close` may report (call `close()` to see it).
///
/// A descriptor is a number, not a pointer: reading ``rawValue`` is memory-safe. It is the
/// owner's until the owner ends; do not close it through C.
public struct OwnedFileDescriptor: ~Copyable, Sendable {
    /// The descriptor, for passing to C while the owner lives.
    public let rawValue: CInt

    /// Takes ownership of `rawValue`, which nothing else will close.
    ///
    /// - Precondition: `rawValue` is not negative (a failed call's -1 is not a descriptor;
    ///   ``SystemCall/run(_:retryingInterrupts:_:)`` throws instead of returning it).
    public init(adopting rawValue: CInt) {
        precondition(rawValue >= 0, "a file descriptor is not negative")
        self.rawValue = rawValue
    }

    deinit {
        // The error, if any, has nowhere to go: `close()` reports it.
        _ = LibC.close(rawValue)
    }

    /// Closes the descriptor and reports what `close` says.
    ///
    /// An interrupted close (`EINTR`) is not retried and not reported: Linux has released
    /// the descriptor by then, and a retry could close one another thread has just opened.
    ///
    /// - Throws: ``SystemCallError`` from `close`, such as `EIO` for data a file system
    ///   could not write, or `EBADF` when the number was not an open descriptor.
    public consuming func close() throws(SystemCallError) {
        let descriptor = rawValue
        discard self
        do {
            _ = try SystemCall.run("close", retryingInterrupts: false) { LibC.close(descriptor) }
        } catch  where error.code == LibC.EINTR {
            return
        }
    }

    /// Gives up ownership without closing, for a C function that takes it over (such as
    /// `fdopen`). The caller must see that the descriptor is closed once.
    public consuming func relinquish() -> CInt {
        let descriptor = rawValue
        discard self
        return descriptor
    }
}
