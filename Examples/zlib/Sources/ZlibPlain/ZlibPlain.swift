// One-shot compression, checksums and the library's version.

import CZlib

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
        unsafe String(validatingCString: zlibVersion()) ?? ""
    }

    /// `bytes` compressed into one zlib stream. The corresponding C function is `compress2`.
    ///
    /// - Throws: ``ZlibError/sizeOutOfRange(_:)`` for input zlib cannot size;
    ///   ``ZlibError/zlib(status:message:)`` with ``ZlibStatus/memoryError``.
    public static func compress(_ bytes: Span<UInt8>, level: CompressionLevel = .default) throws(ZlibError) -> [UInt8] {
        guard let sourceLength = uLong(exactly: bytes.count) else { throw .sizeOutOfRange(bytes.count) }
        let capacity = Int(compressBound(sourceLength))
        var status = Z_OK
        // SAFETY: compress2 writes at most `written` bytes into the array's uninitialised
        // storage, and exactly that many are declared initialised.
        let output = unsafe [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            var written = uLong(capacity)
            // SAFETY: the span's bytes are valid during the call; compress2 only reads them.
            status = unsafe bytes.withUnsafeBufferPointer { source in
                unsafe compress2(buffer.baseAddress, &written, source.baseAddress, sourceLength, level.value)
            }
            initialized = status == Z_OK ? Int(written) : 0
        }
        try check(status)
        return output
    }

    /// The bytes of one complete zlib stream, decompressed, at most `limit` of them.
    /// The corresponding C function is `uncompress`.
    ///
    /// - Throws: ``ZlibError/zlib(status:message:)`` with ``ZlibStatus/dataError`` for
    ///   corrupt or truncated input; ``ZlibError/outputLimitExceeded(limit:)``.
    public static func uncompress(_ bytes: Span<UInt8>, limit: Int = 1 << 30) throws(ZlibError) -> [UInt8] {
        guard let sourceLength = uLong(exactly: bytes.count) else { throw .sizeOutOfRange(bytes.count) }
        var capacity = min(limit, max(64, bytes.count.multipliedReportingOverflow(by: 4).partialValue))
        while true {
            var status = Z_OK
            // SAFETY: uncompress writes at most `written` bytes into the array's uninitialised
            // storage, and exactly that many are declared initialised.
            let output = unsafe [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                var written = uLong(capacity)
                // SAFETY: the span's bytes are valid during the call; uncompress only reads them.
                status = unsafe bytes.withUnsafeBufferPointer { source in
                    unsafe CZlib.uncompress(buffer.baseAddress, &written, source.baseAddress, sourceLength)
                }
                initialized = status == Z_OK ? Int(written) : 0
            }
            guard status == Z_BUF_ERROR else {
                try check(status)
                return output
            }
            guard capacity < limit else { throw .outputLimitExceeded(limit: limit) }
            capacity = min(limit, capacity.multipliedReportingOverflow(by: 2).partialValue)
        }
    }

    /// The CRC-32 of `bytes`, continuing from `crc` (0 to start).
    /// The corresponding C function is `crc32_z`.
    public static func crc32(_ bytes: Span<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        // SAFETY: the span's bytes are valid during the call; crc32_z only reads them.
        let value = unsafe bytes.withUnsafeBufferPointer { unsafe crc32_z(uLong(crc), $0.baseAddress, $0.count) }
        return UInt32(truncatingIfNeeded: value)
    }

    /// The Adler-32 checksum of `bytes`, continuing from `adler` (1 to start).
    /// The corresponding C function is `adler32_z`.
    public static func adler32(_ bytes: Span<UInt8>, continuing adler: UInt32 = 1) -> UInt32 {
        // SAFETY: the span's bytes are valid during the call; adler32_z only reads them.
        let value = unsafe bytes.withUnsafeBufferPointer { unsafe adler32_z(uLong(adler), $0.baseAddress, $0.count) }
        return UInt32(truncatingIfNeeded: value)
    }
}

/// Throws for a status other than `Z_OK`, with `message` or zlib's text for the status.
func check(_ status: CInt, message: UnsafePointer<CChar>? = nil) throws(ZlibError) {
    // SAFETY: `message` is passed on as received.
    guard status == Z_OK else { throw unsafe zlibError(status, message: message) }
}

/// The error for `status`, with `message` or zlib's text for the status.
func zlibError(_ status: CInt, message: UnsafePointer<CChar>?) -> ZlibError {
    // SAFETY: `message` is NULL or the stream's NUL-terminated msg; zError returns a static
    // string for every status.
    let decoded = unsafe String(validatingCString: message ?? zError(status))
    return .zlib(status: ZlibStatus(code: status), message: decoded ?? "")
}
