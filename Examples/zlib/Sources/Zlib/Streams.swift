// Streaming compression over zlib's z_stream: feed chunks, then finish. Memory stays
// bounded by the chunk sizes, whatever the length of the stream.

import CZlib
import SafeFFI

/// A z_stream owned by Swift at a stable address, for deflate or inflate.
@safe
struct ZStream: ~Copyable {
    // @safe: the z_stream is reached only through OwnedCStruct's closures, whose uses of
    // it are marked `unsafe` one by one.
    @safe private var owner: OwnedCStruct<z_stream>
    private let deflating: Bool
    /// Output is collected in chunks of this many bytes.
    static let chunkSize = 64 * 1024

    init(deflating level: CInt?) throws(ZlibError) {
        owner = try OwnedCStruct<z_stream>(
            initialize: { (z) throws(ZlibError) in
                // SAFETY: runs on the zeroed z_stream OwnedCStruct provides (zalloc, zfree and
                // opaque NULL: zlib's allocator), with the size of the struct this module was
                // built against. zlib's init functions set no message: check uses zError's text.
                try check(
                    unsafe level != nil
                        ? deflateInit_(z, level!, zlibVersion(), CInt(MemoryLayout<z_stream>.size))
                        : inflateInit_(z, zlibVersion(), CInt(MemoryLayout<z_stream>.size)))
            },
            // SAFETY: frees what init allocated, once (OwnedCStruct's guarantee).
            end: { unsafe _ = level == nil ? inflateEnd($0) : deflateEnd($0) })
        deflating = level != nil
    }

    /// Where z_stream keeps its input and output.
    // SAFETY: zlib's own fields for them; OwnedCStruct.stream sets them for each call only.
    @safe private static let fields = unsafe CStreamFields(
        nextIn: \z_stream.next_in, availableIn: \.avail_in, nextOut: \.next_out, availableOut: \.avail_out)

    /// Feeds all of `input` with `flush`, and returns what zlib wrote, whether the stream
    /// ended, and how many input bytes were left unread after its end.
    mutating func pump(_ input: Span<UInt8>, flush: CInt) throws(ZlibError) -> CStreamOutput {
        let deflating = self.deflating
        // SAFETY: `z` is the owned, initialised z_stream, lent for one call; zlib's message
        // (NULL or static text) is read at once.
        return try owner.stream(input, through: Self.fields, chunkSize: Self.chunkSize) {
            (z) throws(ZlibError) -> CStreamStep in
            let status = unsafe deflating ? deflate(z, flush) : inflate(z, flush)
            if status != Z_BUF_ERROR && status != Z_STREAM_END {
                try unsafe check(status, message: z.pointee.msg)
            }
            return status == Z_STREAM_END ? .ended : .more
        }
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
        try stream.pump(chunk, flush: Z_NO_FLUSH).bytes
    }

    /// Ends the stream and returns its last compressed bytes. The corresponding C
    /// functions are `deflate` with `Z_FINISH`, then `deflateEnd`.
    public consuming func finish() throws(ZlibError) -> [UInt8] {
        try stream.pump(Span(), flush: Z_FINISH).bytes
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
        let pumped = try stream.pump(chunk, flush: Z_NO_FLUSH)
        isFinished = pumped.ended
        guard pumped.unread == 0 else { throw .trailingData(count: pumped.unread) }
        return pumped.bytes
    }

    /// Checks that the stream ended and returns any last bytes. The corresponding C
    /// functions are `inflate` with `Z_FINISH`, then `inflateEnd`.
    ///
    /// - Throws: ``ZlibError/truncatedInput`` when the input stopped before the stream's end.
    public consuming func finish() throws(ZlibError) -> [UInt8] {
        if isFinished { return [] }
        let pumped = try stream.pump(Span(), flush: Z_FINISH)
        guard pumped.ended else { throw .truncatedInput }
        return pumped.bytes
    }
}

@available(*, unavailable, message: "zlib's stream state is not thread-safe")
extension Inflater: Sendable {}
