// Streaming compression over zlib's z_stream: feed chunks, then finish. Memory stays
// bounded by the chunk sizes, whatever the length of the stream.

import CZlib

/// A z_stream owned by Swift at a stable address, for deflate or inflate.
@safe
struct ZStream: ~Copyable {
    private let stream: UnsafeMutablePointer<z_stream>
    private let deflating: Bool
    /// Output is collected in chunks of this many bytes.
    static let chunkSize = 64 * 1024

    init(deflating level: CInt?) throws(ZlibError) {
        // SAFETY: zlib keeps pointers into the stream, so it lives on the heap, zeroed
        // (zalloc, zfree and opaque NULL: zlib's allocator).
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        // SAFETY: the memory was just allocated for one z_stream.
        unsafe stream.initialize(to: z_stream())
        // SAFETY: the size of the struct zlib checks against its own.
        let size = unsafe CInt(MemoryLayout<z_stream>.size)
        let status =
            // SAFETY: init runs once, on the zeroed stream.
            unsafe level != nil
            ? deflateInit_(stream, level!, zlibVersion(), size) : inflateInit_(stream, zlibVersion(), size)
        guard status == Z_OK else {
            // SAFETY: the stream's msg is NULL or a static string, read before the free.
            let error = unsafe zlibError(status, message: stream.pointee.msg)
            // SAFETY: never initialised by zlib: nothing to end; freed once, here.
            unsafe stream.deallocate()
            throw error
        }
        unsafe self.stream = stream
        deflating = level != nil
    }

    deinit {
        // SAFETY: the one end and the one free of the stream zlib initialised.
        _ = unsafe deflating ? deflateEnd(stream) : inflateEnd(stream)
        unsafe stream.deallocate()
    }

    /// Feeds all of `input` with `flush`, and returns what zlib wrote, whether the stream
    /// ended, and how many input bytes were left unread after its end.
    mutating func pump(_ input: Span<UInt8>, flush: CInt) throws(ZlibError) -> (
        output: [UInt8], ended: Bool, unread: Int
    ) {
        let chunk = Self.chunkSize
        var (output, ended, produced, status) = ([UInt8](), false, 0, Z_OK)
        guard let count = uInt(exactly: input.count) else { throw .sizeOutOfRange(input.count) }
        // SAFETY: zlib reads `count` bytes of the span during the calls below only; next_in
        // and next_out are pointed again before every later call.
        unsafe input.withUnsafeBufferPointer { source in
            unsafe stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            unsafe stream.pointee.avail_in = count
            repeat {
                // SAFETY: zlib writes at most `chunk` bytes, and exactly those it wrote are
                // declared initialised.
                output += unsafe [UInt8](unsafeUninitializedCapacity: chunk) { buffer, initialized in
                    unsafe stream.pointee.next_out = buffer.baseAddress
                    unsafe stream.pointee.avail_out = uInt(chunk)
                    status = unsafe deflating ? deflate(stream, flush) : inflate(stream, flush)
                    produced = unsafe chunk - Int(stream.pointee.avail_out)
                    initialized = produced
                }
                ended = status == Z_STREAM_END
            } while !ended && produced == chunk && (status == Z_OK || status == Z_BUF_ERROR)
        }
        if status != Z_BUF_ERROR && status != Z_STREAM_END {
            // SAFETY: the stream's msg is NULL or a NUL-terminated string zlib owns.
            try unsafe check(status, message: stream.pointee.msg)
        }
        return unsafe (output, ended, Int(stream.pointee.avail_in))
    }
}

/// Compresses a stream of chunks into one zlib stream, in bounded memory.
///
/// ```swift
/// var deflater = try Deflater()
/// for chunk in chunks { sink(try deflater.update(chunk.span)) }
/// sink(try deflater.finish())
/// ```
///
/// Not `Sendable`: zlib's stream state is not thread-safe.
public struct Deflater: ~Copyable {
    private var stream: ZStream

    /// Starts a zlib stream. The corresponding C function is `deflateInit`.
    ///
    /// - Throws: ``ZlibError/zlib(status:message:)`` with ``ZlibStatus/memoryError``.
    public init(level: CompressionLevel = .default) throws(ZlibError) {
        stream = try ZStream(deflating: level.value)
    }

    /// Compresses `chunk` and returns the compressed bytes zlib has ready (often none:
    /// zlib buffers until it has a block). The corresponding C function is `deflate`.
    public mutating func update(_ chunk: Span<UInt8>) throws(ZlibError) -> [UInt8] {
        try stream.pump(chunk, flush: Z_NO_FLUSH).output
    }

    /// Ends the stream and returns its last compressed bytes. The corresponding C
    /// functions are `deflate` with `Z_FINISH`, then `deflateEnd`.
    public consuming func finish() throws(ZlibError) -> [UInt8] {
        try stream.pump(Span(), flush: Z_FINISH).output
    }
}

@available(*, unavailable, message: "zlib's stream state is not thread-safe")
extension Deflater: Sendable {}

/// Decompresses one zlib stream fed in chunks, in bounded memory.
///
/// Not `Sendable`: zlib's stream state is not thread-safe.
public struct Inflater: ~Copyable {
    private var stream: ZStream
    /// Whether the end of the compressed stream has been read.
    public private(set) var isFinished = false

    /// Starts decompressing. The corresponding C function is `inflateInit`.
    ///
    /// - Throws: ``ZlibError/zlib(status:message:)`` with ``ZlibStatus/memoryError``.
    public init() throws(ZlibError) {
        stream = try ZStream(deflating: nil)
    }

    /// Decompresses `chunk` and returns the bytes it yields. The corresponding C function
    /// is `inflate`.
    ///
    /// - Throws: ``ZlibError/zlib(status:message:)`` with ``ZlibStatus/dataError`` for
    ///   corrupt input; ``ZlibError/trailingData(count:)`` for bytes after the stream's end.
    public mutating func update(_ chunk: Span<UInt8>) throws(ZlibError) -> [UInt8] {
        guard !isFinished || chunk.isEmpty else { throw .trailingData(count: chunk.count) }
        let (output, ended, unread) = try stream.pump(chunk, flush: Z_NO_FLUSH)
        isFinished = ended
        guard unread == 0 else { throw .trailingData(count: unread) }
        return output
    }

    /// Checks that the stream ended and returns any last bytes. The corresponding C
    /// functions are `inflate` with `Z_FINISH`, then `inflateEnd`.
    ///
    /// - Throws: ``ZlibError/truncatedInput`` when the input stopped before the stream's end.
    public consuming func finish() throws(ZlibError) -> [UInt8] {
        if isFinished { return [] }
        let (output, ended, _) = try stream.pump(Span(), flush: Z_FINISH)
        guard ended else { throw .truncatedInput }
        return output
    }
}

@available(*, unavailable, message: "zlib's stream state is not thread-safe")
extension Inflater: Sendable {}
