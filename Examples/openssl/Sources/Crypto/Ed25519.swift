// Ed25519 keys (RFC 8032): EVP_PKEY is a Swift reference type through the API notes, so a
// key is a value holding one, and libcrypto's reference count frees it.

import COpenSSL
import SafeFFI

/// An Ed25519 private key.
///
/// It holds an `EVP_PKEY`, which the API notes import as a Swift reference type
/// (`EVP_PKEY_up_ref`/`EVP_PKEY_free`): copies of the key share it, and the last one to
/// end frees it. No wrapper class is involved.
public struct Ed25519PrivateKey: @unchecked Sendable {
    // Sendable: libcrypto keys may be used from several threads at once once built, and
    // nothing here changes a key after it is made.
    let key: EVP_PKEY
    /// The matching public key.
    public let publicKey: Ed25519PublicKey

    /// The length of a private key, a public key and a signature, in bytes.
    public static let keyLength = 32, signatureLength = 64

    /// A new key from 32 bytes of libcrypto's generator for private values.
    public init() throws(CryptoError) {
        var seed = [UInt8](repeating: 0, count: Self.keyLength)
        var span = seed.mutableSpan
        try check("RAND_priv_bytes") { RAND_priv_bytes(&span) }
        try self.init(rawRepresentation: seed.span)
    }

    /// The key whose 32-byte seed is `rawRepresentation` (RFC 8032's private key).
    ///
    /// - Throws: ``CryptoError/invalidLength(expected:actual:)`` unless 32 bytes are given.
    public init(rawRepresentation: Span<UInt8>) throws(CryptoError) {
        let key = try rawKey(rawRepresentation, isPrivate: true)
        // Named, not a temporary: a temporary array's span inside `try` crashes Swift 6.3.1's
        // code generation ("Instruction does not dominate all uses").
        let publicBytes = try rawPublicKey(key, length: Self.keyLength)
        let publicKey = try Ed25519PublicKey(rawRepresentation: publicBytes.span)
        self.key = key
        self.publicKey = publicKey
    }

    /// The signature of `message` (64 bytes; Ed25519 signatures are deterministic).
    public func signature(for message: Span<UInt8>) throws(CryptoError) -> [UInt8] {
        try signEd25519(key, message, length: Self.signatureLength)
    }
}

/// An Ed25519 public key, which checks signatures.
public struct Ed25519PublicKey: @unchecked Sendable, Equatable {
    // Sendable: as Ed25519PrivateKey.
    let key: EVP_PKEY
    /// The 32 bytes of the key (RFC 8032's encoding).
    public let rawRepresentation: [UInt8]

    /// The public key whose encoding is `rawRepresentation`.
    ///
    /// - Throws: ``CryptoError/invalidLength(expected:actual:)`` unless 32 bytes are given.
    public init(rawRepresentation: Span<UInt8>) throws(CryptoError) {
        self.key = try rawKey(rawRepresentation, isPrivate: false)
        self.rawRepresentation = rawRepresentation.indices.map { rawRepresentation[$0] }
    }

    /// Whether `signature` is this key's signature of `message`. A signature of the wrong
    /// length is not valid (not an error).
    public func isValidSignature(_ signature: Span<UInt8>, for message: Span<UInt8>) throws(CryptoError) -> Bool {
        guard signature.count == Ed25519PrivateKey.signatureLength else { return false }
        return try verifyEd25519(key, signature, message)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawRepresentation == rhs.rawRepresentation }
}

/// An Ed25519 key from its 32 raw bytes: a private key's seed, or a public key's encoding.
/// The notes make the result a Swift reference, retained (+1) as libcrypto returns it.
private func rawKey(_ bytes: Span<UInt8>, isPrivate: Bool) throws(CryptoError) -> EVP_PKEY {
    guard bytes.count == Ed25519PrivateKey.keyLength else {
        throw .invalidLength(expected: Ed25519PrivateKey.keyLength, actual: bytes.count)
    }
    clearErrors()
    let key =
        isPrivate
        ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, bytes)
        : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, bytes)
    guard let key else {
        throw drainErrors(isPrivate ? "EVP_PKEY_new_raw_private_key" : "EVP_PKEY_new_raw_public_key")
    }
    return key
}
