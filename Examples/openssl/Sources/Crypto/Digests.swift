// Digests (one shot and streaming), HMAC and random bytes.

import COpenSSL
import SafeFFI

/// A hash function libcrypto provides.
public enum DigestAlgorithm: Sendable, Hashable {
    /// SHA-256 (FIPS 180-4): 32-byte digests.
    case sha256
    /// SHA-512 (FIPS 180-4): 64-byte digests.
    case sha512

    /// libcrypto's description of the algorithm: a static object, so unretained (the notes
    /// say so) and never freed.
    var method: EVP_MD {
        switch self {
        case .sha256: EVP_sha256()
        case .sha512: EVP_sha512()
        }
    }

    /// The length of its digests, in bytes.
    public var digestLength: Int {
        switch self {
        case .sha256: 32
        case .sha512: 64
        }
    }

    /// The digest of `bytes`, in one call.
    public func digest(_ bytes: Span<UInt8>) throws(CryptoError) -> [UInt8] {
        try oneShotDigest(method, bytes)
    }

    /// The HMAC (RFC 2104) of `message` under `key`.
    public func authenticationCode(for message: Span<UInt8>, key: Span<UInt8>) throws(CryptoError) -> [UInt8] {
        try oneShotHMAC(method, key: key, message: message)
    }
}

/// A digest computed over data given in parts: ``update(_:)`` for each, then ``finish()``.
///
/// It owns an `EVP_MD_CTX`, freed exactly once when the hasher ends; `finish()` consumes
/// it, so no part can be added after the digest is taken.
public struct StreamingDigest: ~Copyable {
    private let context: DigestContext
    /// The algorithm being computed.
    public let algorithm: DigestAlgorithm

    /// Starts a digest with `algorithm`.
    public init(_ algorithm: DigestAlgorithm) throws(CryptoError) {
        context = try .digesting(algorithm.method)
        self.algorithm = algorithm
    }

    /// Adds the next part of the data.
    public mutating func update(_ bytes: Span<UInt8>) throws(CryptoError) {
        try updateDigest(context, bytes)
    }

    /// The digest of every part given, in order.
    public consuming func finish() throws(CryptoError) -> [UInt8] {
        try finishDigest(context)
    }
}

/// `count` bytes from libcrypto's cryptographically secure generator (`RAND_bytes`).
///
/// - Throws: ``CryptoError/openssl(function:errors:)`` when the generator could not be
///   seeded; ``CryptoError/sizeOutOfRange(_:)`` for a count that is negative or above
///   `Int32.max`.
public func randomBytes(count: Int) throws(CryptoError) -> [UInt8] {
    guard count >= 0, count <= Int32.max else {
        throw .sizeOutOfRange(
            BoundaryError.outOfRange(value: Int128(count), targetType: "Int32", targetRange: 0...Int128(Int32.max)))
    }
    var bytes = [UInt8](repeating: 0, count: count)
    var span = bytes.mutableSpan
    try check("RAND_bytes") { RAND_bytes(&span) }
    return bytes
}
