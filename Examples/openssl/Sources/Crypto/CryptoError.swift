// What can go wrong, typed: OpenSSL's own error queue, and sizes OpenSSL cannot take.

import SafeFFI

/// One entry of OpenSSL's error queue: its packed code and the library's text for it.
public struct OpenSSLErrorEntry: Hashable, Sendable, CustomStringConvertible {
    /// The packed code `ERR_get_error` returned (library and reason).
    public let code: UInt
    /// `ERR_error_string_n`'s text, such as
    /// `"error:1E08010C:DECODER routines::unsupported"`.
    public let message: String

    public var description: String { message }
}

/// Why a cryptographic operation failed.
public enum CryptoError: Error, Hashable, Sendable, CustomStringConvertible, BoundaryErrorRepresentable {
    /// An OpenSSL function reported failure; `errors` is what it left on its error queue,
    /// oldest first (possibly nothing), and the queue is empty again.
    case openssl(function: String, errors: [OpenSSLErrorEntry])
    /// A key or signature of the wrong length for its algorithm.
    case invalidLength(expected: Int, actual: Int)
    /// A size does not fit the integer type OpenSSL takes.
    case sizeOutOfRange(BoundaryError)

    /// Wraps a size that does not fit OpenSSL's integer type.
    public init(_ error: BoundaryError) { self = .sizeOutOfRange(error) }

    public var description: String {
        switch self {
        case .openssl(let function, let errors) where errors.isEmpty:
            "\(function) failed (OpenSSL gave no reason)"
        case .openssl(let function, let errors):
            "\(function) failed: \(errors.map(\.message).joined(separator: "; "))"
        case .invalidLength(let expected, let actual): "expected \(expected) bytes, got \(actual)"
        case .sizeOutOfRange(let error): "size out of OpenSSL's range: \(error)"
        }
    }
}
