// Streaming compression over zlib's z_stream: feed chunks, then finish. Memory stays
// bounded by the chunk sizes, whatever the length of the stream.

import CZlib
import SafeFFI

/// A z_stream owned by Swift at a stable address, for deflate or inflate.
@safe
struct ZStream: ~Copyable {
    private var owner: OwnedCStruct<z_stream>
    private let deflating: Bool
    /// Output is collected in chunks of this many bytes.
    static let chunkSize = 64 * 1024

    init(deflating level: CInt?) throws(ZlibError) {
        // SAFETY: init runs on the zeroed z_stream OwnedCStruct provides (zalloc, zfree and
        // opaque NULL: zlib's allocator); end frees what init allocated, once.
        unsafe owner = try OwnedCStruct<z_stream>(
            initialize: { (z) throws(ZlibError) in
                let size = unsafe CInt(MemoryLayout<z_stream>.size)
                // zlib's init functions set no message: check uses zError's text.
                try check(
                    unsafe level != nil
                        ? deflateInit_(z, level!, zlibVersion(), size) : inflateInit_(z, zlibVersion(), size))
            },
            end: { unsafe _ = level == nil ? inflateEnd($0) : deflateEnd($0) })
        deflating = level != nil
    }

    /// Feeds all of `input` with `flush`, and returns what zlib wrote, whether the stream
    /// ended, and how many input bytes were left unread after its end.
    mutating func pump(_ input: Span<UInt8>, flush: CInt) throws(ZlibError) -> (
        output: [UInt8], ended: Bool, unread: Int
    ) {
        let (deflating, chunk) = (self.deflating, Self.chunkSize)
        var (output, ended, produced) = ([UInt8](), false, 0)
        // SAFETY: zlib reads `count` bytes at `next` and writes at most `chunk` bytes into each
        // buffer, during the calls below only; next_in and next_out are pointed again before
        // every later call, so zlib never uses a stale pointer.
        let unread = try unsafe input.withCArgument { (next, count: uInt) throws(ZlibError) in
            try unsafe owner.withUnsafeMutablePointer { (z) throws(ZlibError) in
                unsafe (z.pointee.next_in, z.pointee.avail_in) = (UnsafeMutablePointer(mutating: next), count)
                repeat {
                    output += try unsafe [UInt8](cWritingUpTo: chunk) { (buffer) throws(ZlibError) in
                        unsafe (z.pointee.next_out, z.pointee.avail_out) = (buffer.baseAddress, uInt(chunk))
                        let status = unsafe deflating ? deflate(z, flush) : inflate(z, flush)
                        if status != Z_BUF_ERROR && status != Z_STREAM_END {
                            try unsafe check(status, message: z.pointee.msg)
                        }
                        (ended, produced) = unsafe (status == Z_STREAM_END, chunk - Int(z.pointee.avail_out))
                        return .wrote(produced)
                    }
                } while !ended && produced == chunk
                return unsafe Int(z.pointee.avail_in)
            }
        }
        return (output, ended, unread)
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
