// Streaming C functions that read the caller's input and write the caller's output through
// fields of their own state struct (zlib's next_in/avail_in/next_out/avail_out; bzip2's and
// liblzma's work the same way).

/// Where a streaming C state struct keeps its input and output: a pointer and a count for
/// each, which the caller sets before every call and C advances.
///
/// ```swift
/// let fields = unsafe CStreamFields(
///     nextIn: \z_stream.next_in, availableIn: \.avail_in,
///     nextOut: \.next_out, availableOut: \.avail_out)
/// ```
@safe
public struct CStreamFields<Value, Count: FixedWidthInteger & SendableMetatype>: Sendable {
    fileprivate let setInput: @Sendable (inout Value, UnsafeRawPointer?, Count) -> Void
    fileprivate let setOutput: @Sendable (inout Value, UnsafeMutablePointer<UInt8>?, Count) -> Void
    fileprivate let availableIn: @Sendable (Value) -> Count
    fileprivate let availableOut: @Sendable (Value) -> Count

    /// The fields of a struct whose input pointer is mutable (zlib: `Bytef *next_in`).
    @unsafe
    public init(
        nextIn: WritableKeyPath<Value, UnsafeMutablePointer<UInt8>?> & Sendable,
        availableIn: WritableKeyPath<Value, Count> & Sendable,
        nextOut: WritableKeyPath<Value, UnsafeMutablePointer<UInt8>?> & Sendable,
        availableOut: WritableKeyPath<Value, Count> & Sendable
    ) {
        // SAFETY: C only reads through the input pointer (the mutable type is the header's
        // spelling, not a licence to write).
        unsafe self.init(
            setInputPointer: { value, pointer in
                unsafe value[keyPath: nextIn] = UnsafeMutablePointer(
                    mutating: pointer?.assumingMemoryBound(to: UInt8.self))
            },
            availableIn: availableIn, nextOut: nextOut, availableOut: availableOut)
    }

    /// The fields of a struct whose input pointer is constant (liblzma: `const uint8_t *next_in`).
    @unsafe
    public init(
        nextIn: WritableKeyPath<Value, UnsafePointer<UInt8>?> & Sendable,
        availableIn: WritableKeyPath<Value, Count> & Sendable,
        nextOut: WritableKeyPath<Value, UnsafeMutablePointer<UInt8>?> & Sendable,
        availableOut: WritableKeyPath<Value, Count> & Sendable
    ) {
        // SAFETY: the bytes are the caller's input, lent for one streaming call (see the
        // private initialiser).
        unsafe self.init(
            setInputPointer: { value, pointer in
                unsafe value[keyPath: nextIn] = pointer?.assumingMemoryBound(to: UInt8.self)
            },
            availableIn: availableIn, nextOut: nextOut, availableOut: availableOut)
    }

    /// SAFETY: the pointers are set for the duration of one streaming call only, by
    /// OwnedCStruct.stream, which clears them before it returns.
    @unsafe
    private init(
        setInputPointer: @escaping @Sendable (inout Value, UnsafeRawPointer?) -> Void,
        availableIn: WritableKeyPath<Value, Count> & Sendable,
        nextOut: WritableKeyPath<Value, UnsafeMutablePointer<UInt8>?> & Sendable,
        availableOut: WritableKeyPath<Value, Count> & Sendable
    ) {
        // SAFETY: each closure only stores a pointer and its count in the struct; the
        // pointer is read by C during one `step`, as stream(_:through:chunkSize:step:) arranges.
        unsafe setInput = { value, pointer, count in
            unsafe setInputPointer(&value, pointer)
            value[keyPath: availableIn] = count
        }
        unsafe setOutput = { value, pointer, count in
            unsafe value[keyPath: nextOut] = pointer
            value[keyPath: availableOut] = count
        }
        self.availableIn = { $0[keyPath: availableIn] }
        self.availableOut = { $0[keyPath: availableOut] }
    }
}

/// What a streaming C call reported after one step.
public enum CStreamStep: Sendable {
    /// It may produce more when given more input or more room.
    case more
    /// Its stream has ended (zlib's `Z_STREAM_END`).
    case ended
}

/// What ``OwnedCStruct/stream(_:through:chunkSize:step:)`` produced.
public struct CStreamOutput: Sendable {
    /// The bytes C wrote, in order.
    public var bytes: [UInt8]
    /// Whether C reported the end of its stream.
    public var ended: Bool
    /// Input bytes C left unread: after the end of its stream, or because it could take no
    /// more.
    public var unread: Int
}

extension OwnedCStruct {
    /// Feeds `input` to a streaming C function and collects all it writes, one output chunk
    /// at a time.
    ///
    /// Before each call of `step` the struct's input fields point at what is left of
    /// `input` (in slices C's count type can hold) and its output fields at an empty chunk
    /// of `chunkSize` bytes; `step` makes one C call and says whether the stream ended. It
    /// is called again while it fills whole chunks (C has more to write); then the next
    /// slice follows. Only the bytes C reports as written are returned — no uninitialised
    /// byte is ever visible — and when this returns, the struct points at nothing, so C
    /// keeps no pointer into memory that is gone.
    ///
    /// - Parameters:
    ///   - input: the bytes to feed; empty to finish a stream.
    ///   - fields: where the struct keeps its input and output.
    ///   - chunkSize: the room given to each call, at least 1 and at most what `Count` holds.
    ///   - step: calls the C function once with the struct's address (for example
    ///     `deflate(z, flush)`) and reports its outcome; it throws to stop.
    ///
    /// `@safe`: the struct's address reaches only `step`, where any use of it is itself
    /// marked `unsafe`; the buffers' lifetimes and bounds are this method's guarantee.
    @safe
    public mutating func stream<Count: FixedWidthInteger & SendableMetatype, E: Error>(
        _ input: Span<UInt8>,
        through fields: CStreamFields<Value, Count>,
        chunkSize: Int = 64 * 1024,
        step: (UnsafeMutablePointer<Value>) throws(E) -> CStreamStep
    ) throws(E) -> CStreamOutput {
        precondition(chunkSize > 0 && chunkSize <= Count.max, "chunkSize must be in 1...\(Count.max), got \(chunkSize)")
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var output: [UInt8] = []
        var ended = false
        var consumed = 0
        let total = input.count
        // SAFETY: the input's memory is valid inside withUnsafeBufferPointer and the chunk's
        // inside withUnsafeMutableBufferPointer; C is given them only during `step` calls
        // made inside both, and both pointers are cleared before they end. C writes at
        // most the count it is given; only the bytes it reports are copied out.
        try unsafe input.withUnsafeBufferPointer { (source) throws(E) in
            try unsafe chunk.withUnsafeMutableBufferPointer { (room) throws(E) in
                try unsafe withUnsafeMutablePointer { (state) throws(E) in
                    defer {
                        unsafe fields.setInput(&state.pointee, nil, 0)
                        unsafe fields.setOutput(&state.pointee, nil, 0)
                    }
                    repeat {
                        // SAFETY (for the loop): `source` and `room` are valid here (see
                        // above); C gets at most `slice` bytes to read and `chunkSize` to
                        // write, and its reported counts are checked before they are used.
                        let slice = Swift.min(total - consumed, Int(clamping: Count.max))
                        unsafe fields.setInput(
                            &state.pointee, source.baseAddress.map { unsafe UnsafeRawPointer($0 + consumed) },
                            Count(slice))
                        var filled = false
                        repeat {
                            unsafe fields.setOutput(&state.pointee, room.baseAddress, Count(chunkSize))
                            ended = try unsafe step(state) == .ended
                            let written = chunkSize - Int(unsafe fields.availableOut(state.pointee))
                            precondition(
                                (0...chunkSize).contains(written),
                                "C reported writing \(written) bytes into \(chunkSize)")
                            unsafe output.append(contentsOf: room.prefix(written))
                            filled = written == chunkSize
                        } while !ended && filled
                        let left = Int(unsafe fields.availableIn(state.pointee))
                        precondition((0...slice).contains(left), "C reported \(left) of \(slice) input bytes unread")
                        consumed += slice - left
                        if ended || left > 0 { break }
                    } while consumed < total
                }
            }
        }
        return CStreamOutput(bytes: output, ended: ended, unread: total - consumed)
    }
}
