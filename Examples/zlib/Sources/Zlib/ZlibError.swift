// What can go wrong, typed: zlib's own status and message, and the wrapper's checks.

import CZlib
import SafeFFI

/// A zlib status code other than success, as zlib names it.
public struct ZlibStatus: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The C value, such as `Z_DATA_ERROR` (-3).
    public let code: Int32

    init(code: Int32) { self.code = code }

    /// `Z_NEED_DICT`: the stream needs a preset dictionary.
    public static let needDictionary = ZlibStatus(code: Z_NEED_DICT)
    /// `Z_STREAM_ERROR`: inconsistent stream state or a bad parameter, such as a level.
    public static let streamError = ZlibStatus(code: Z_STREAM_ERROR)
    /// `Z_DATA_ERROR`: the input is not zlib data, or is corrupt.
    public static let dataError = ZlibStatus(code: Z_DATA_ERROR)
    /// `Z_MEM_ERROR`: zlib could not allocate memory.
    public static let memoryError = ZlibStatus(code: Z_MEM_ERROR)
    /// `Z_BUF_ERROR`: no progress was possible.
    public static let bufferError = ZlibStatus(code: Z_BUF_ERROR)
    /// `Z_VERSION_ERROR`: the library is incompatible with the header.
    public static let versionError = ZlibStatus(code: Z_VERSION_ERROR)

    public var description: String {
        switch code {
        case Z_NEED_DICT: "Z_NEED_DICT"
        case Z_STREAM_ERROR: "Z_STREAM_ERROR"
        case Z_DATA_ERROR: "Z_DATA_ERROR"
        case Z_MEM_ERROR: "Z_MEM_ERROR"
        case Z_BUF_ERROR: "Z_BUF_ERROR"
        case Z_VERSION_ERROR: "Z_VERSION_ERROR"
        default: "zlib status \(code)"
        }
    }
}

/// Why compressing or decompressing failed.
public enum ZlibError: Error, Equatable, Hashable, Sendable, CustomStringConvertible,
    BoundaryErrorRepresentable
{
    /// zlib refused, with its status and its message (the stream's `msg`, or `zError`'s).
    case zlib(status: ZlibStatus, message: String)
    /// The compressed input ended before the end of its stream.
    case truncatedInput
    /// Bytes follow the end of the compressed stream.
    case trailingData(count: Int)
    /// The decompressed data would be larger than the limit the caller set.
    case outputLimitExceeded(limit: Int)
    /// A size does not fit the integer type zlib takes.
    case sizeOutOfRange(BoundaryError)

    /// Wraps a size that does not fit zlib's integer type.
    public init(_ error: BoundaryError) { self = .sizeOutOfRange(error) }

    public var description: String {
        switch self {
        case .zlib(let status, let message): "zlib failed with \(status): \(message)"
        case .truncatedInput: "the compressed input ends before its stream does"
        case .trailingData(let count): "\(count) bytes follow the end of the compressed stream"
        case .outputLimitExceeded(let limit): "the decompressed data is larger than the limit of \(limit) bytes"
        case .sizeOutOfRange(let error): "size out of zlib's range: \(error)"
        }
    }
}
