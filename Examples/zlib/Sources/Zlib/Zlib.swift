// One-shot compression, checksums and the library's version.

import CZlib
import SafeFFI

/// A zlib compression level: 0 (none) to 9 (smallest output), or zlib's default.
public struct CompressionLevel: Equatable, Hashable, Sendable {
    /// The C value passed to zlib.
    public let value: Int32

    /// Level `value`, or `nil` outside 0...9.
    public init?(_ value: Int) {
        guard (0...9).contains(value) else { return nil }
        self.value = Int32(value)
    }

    private init(raw: Int32) { value = raw }

    /// `Z_DEFAULT_COMPRESSION`: zlib's balance of speed and size (level 6).
    public static let `default` = CompressionLevel(raw: Z_DEFAULT_COMPRESSION)
    /// `Z_NO_COMPRESSION`: stored blocks only.
    public static let none = CompressionLevel(raw: Z_NO_COMPRESSION)
    /// `Z_BEST_SPEED`: level 1.
    public static let bestSpeed = CompressionLevel(raw: Z_BEST_SPEED)
    /// `Z_BEST_COMPRESSION`: level 9.
    public static let best = CompressionLevel(raw: Z_BEST_COMPRESSION)
}

/// zlib's one-shot functions and checksums.
public enum Zlib {
    /// The version of the zlib library linked at run time, such as "1.2.13".
    /// The corresponding C function is `zlibVersion`.
    public static var version: String {
        // SAFETY: zlibVersion returns a static NUL-terminated string.
        guard let version = unsafe zlibVersion() else { return "" }
        return (try? unsafe String(strictCString: version)) ?? ""
    }

    /// `bytes` compressed into one zlib stream. The corresponding C function is `compress2`.
    ///
    /// - Throws: ``ZlibError/sizeOutOfRange(_:)`` for input zlib cannot size;
    ///   ``ZlibError/zlib(status:message:)`` with ``ZlibStatus/memoryError``.
    public static func compress(_ bytes: Span<UInt8>, level: CompressionLevel = .default) throws(ZlibError) -> [UInt8] {
        let capacity = Int(compressBound(try uLong(checked: bytes.count, throwing: ZlibError.self)))
        // SAFETY: compress2 writes at most `written` bytes into the buffer and reads `bytes`
        // (a Span, by CZlib.apinotes) during the call only.
        return try unsafe [UInt8](cWritingUpTo: capacity) { (buffer) throws(ZlibError) in
            var written = uLong(capacity)
            try check(unsafe compress2(buffer.baseAddress, &written, bytes, level.value))
            return .wrote(Int(written))
        }
    }

    /// The bytes of one complete zlib stream, decompressed, at most `limit` of them.
    /// The corresponding C function is `uncompress`.
    ///
    /// - Throws: ``ZlibError/zlib(status:message:)`` with ``ZlibStatus/dataError`` for
    ///   corrupt or truncated input; ``ZlibError/outputLimitExceeded(limit:)``.
    public static func uncompress(_ bytes: Span<UInt8>, limit: Int = 1 << 30) throws(ZlibError) -> [UInt8] {
        var capacity = min(limit, max(64, bytes.count.multipliedReportingOverflow(by: 4).partialValue))
        // SAFETY: uncompress writes at most `written` bytes into the buffer and reads `bytes`
        // during the call only. Z_BUF_ERROR from uncompress means the buffer was too small.
        return try unsafe [UInt8](cWritingUpTo: capacity) { (buffer) throws(ZlibError) in
            var written = try uLong(checked: capacity, throwing: ZlibError.self)
            let status = unsafe CZlib.uncompress(buffer.baseAddress, &written, bytes)
            guard status == Z_BUF_ERROR else {
                try check(status)
                return .wrote(Int(written))
            }
            guard capacity < limit else { throw .outputLimitExceeded(limit: limit) }
            capacity = min(limit, capacity.multipliedReportingOverflow(by: 2).partialValue)
            return .needsCapacity(capacity)
        }
    }

    /// The CRC-32 of `bytes`, continuing from `crc` (0 to start).
    /// The corresponding C function is `crc32_z`.
    public static func crc32(_ bytes: Span<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32_z(uLong(crc), bytes))
    }

    /// The Adler-32 checksum of `bytes`, continuing from `adler` (1 to start).
    /// The corresponding C function is `adler32_z`.
    public static func adler32(_ bytes: Span<UInt8>, continuing adler: UInt32 = 1) -> UInt32 {
        UInt32(truncatingIfNeeded: adler32_z(uLong(adler), bytes))
    }
}

/// Throws for a status other than `Z_OK`, with `message` or zlib's text for the status.
func check(_ status: CInt, message: UnsafePointer<CChar>? = nil) throws(ZlibError) {
    guard status != Z_OK else { return }
    // SAFETY: `message` is NULL or the stream's NUL-terminated msg; zError returns a static
    // string for every status.
    let text = unsafe (message ?? zError(status)).flatMap { try? unsafe String(strictCString: $0) }
    throw .zlib(status: ZlibStatus(code: status), message: text ?? "")
}
