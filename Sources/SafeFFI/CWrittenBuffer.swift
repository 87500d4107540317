// C writing into a buffer the caller provides and reporting how much it wrote
// (`dest, &destLen`; "too small, here is the size needed"): one call returns the bytes,
// and no element C did not write is ever part of the result.

/// What a C function reported after writing into a caller's buffer.
public enum CWriteResult: Sendable, Equatable, Hashable {
    /// C wrote this many elements, from the start of the buffer.
    case wrote(Int)
    /// The buffer was too small: C needs room for this many elements. The buffer's
    /// contents are discarded and the call is made again with that capacity.
    case needsCapacity(Int)
}

extension Array where Element: BitwiseCopyable {
    /// Creates an array from what a C function writes into fresh memory.
    ///
    /// `write` receives uninitialised memory for `capacity` elements, calls C, and reports
    /// ``CWriteResult/wrote(_:)`` with the number of elements C wrote (they become the
    /// array, and nothing past them), or ``CWriteResult/needsCapacity(_:)`` to be called
    /// again with more room. Refuse a capacity you will not allocate by throwing from
    /// `write`. The buffer is valid only during `write`; C must not keep it.
    ///
    /// ```swift
    /// let packed = try [UInt8](cWritingUpTo: Int(compressBound(n))) { (buffer) throws(ZlibError) in
    ///     var written = CUnsignedLong(buffer.count)
    ///     try check(unsafe compress2(buffer.baseAddress, &written, source, n, level))
    ///     return .wrote(Int(written))
    /// }
    /// ```
    ///
    /// A `wrote` count outside `0...capacity` (C wrote past the buffer, or reported
    /// nonsense) or a `needsCapacity` that does not grow the buffer stops the process:
    /// memory may already be corrupt, and retrying would never end.
    ///
    /// - Parameters:
    ///   - capacity: the room for the first call, in elements (not negative). With 0 the
    ///     buffer's base address may be `nil`.
    ///   - write: calls C with the buffer; may run more than once.
    /// - Throws: what `write` throws; the memory is then released.
    @inlinable
    public init<E: Error>(
        cWritingUpTo capacity: Int,
        _ write: (UnsafeMutableBufferPointer<Element>) throws(E) -> CWriteResult
    ) throws(E) {
        precondition(capacity >= 0, "a buffer's capacity must not be negative")
        var capacity = capacity
        while true {
            var outcome = CWriteResult.wrote(0)
            let attempt = try Array(capacity: capacity) { (output: inout OutputSpan<Element>) throws(E) in
                // SAFETY: the OutputSpan lends its uninitialised storage for this closure; exactly
                // `written` elements from the start are declared initialised, and only after C
                // has written them.
                try unsafe output.withUnsafeMutableBufferPointer { (storage, initialized) throws(E) in
                    let buffer = unsafe UnsafeMutableBufferPointer(rebasing: storage[..<capacity])
                    outcome = try unsafe write(buffer)
                    if case .wrote(let written) = outcome {
                        precondition(written >= 0 && written <= capacity, "C reported writing outside its buffer")
                        initialized = written
                    }
                }
            }
            switch outcome {
            case .wrote:
                self = attempt
                return
            case .needsCapacity(let needed):
                precondition(needed > capacity, "a retry must ask for a larger buffer")
                capacity = needed
            }
        }
    }
}

extension String {
    /// Creates a string from UTF-8 text a C function writes into fresh memory, decoded
    /// strictly.
    ///
    /// As ``Swift/Array/init(cWritingUpTo:_:)``: `write` reports the number of text bytes C
    /// wrote (without a terminating NUL, if C wrote one), or the capacity it needs. A NUL
    /// inside the reported bytes is kept.
    ///
    /// - Throws: `E(BoundaryError.invalidUTF8(offset:))` when the bytes are not UTF-8;
    ///   otherwise what `write` throws.
    @inlinable
    public init<E: BoundaryErrorRepresentable>(
        cWritingUpTo capacity: Int,
        _ write: (UnsafeMutableBufferPointer<UInt8>) throws(E) -> CWriteResult
    ) throws(E) {
        // SAFETY: forwards `write` unchanged; the array initialiser keeps its contract.
        let bytes = try unsafe [UInt8](cWritingUpTo: capacity, write)
        do {
            self = try String(strictUTF8: bytes.span)
        } catch {
            throw E(error)
        }
    }
}
