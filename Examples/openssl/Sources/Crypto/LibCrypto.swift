// The libcrypto calls that take an EVP_MD_CTX (an opaque pointer, owned by DigestContext)
// or write where API notes cannot bound (HMAC's result, and signatures and raw keys whose
// capacity goes in and count comes out through one pointer), and the only file with
// `unsafe`. Inputs are spans, digests are written into spans, and EVP_PKEY is a Swift
// reference type, all from COpenSSL.apinotes.

import COpenSSL
import SafeFFI

/// The longest digest any algorithm here produces (SHA-512: 64 bytes).
let maxDigestLength = Int(EVP_MAX_MD_SIZE)

/// Finishes the digest in `context` (`EVP_DigestFinal_ex`, whose output is a span of
/// EVP_MAX_MD_SIZE bytes and a span of one count, by the overrides).
func finishDigest(_ context: borrowing DigestContext) throws(CryptoError) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: maxDigestLength)
    var written: [CUnsignedInt] = [0]
    var digestSpan = digest.mutableSpan
    var writtenSpan = written.mutableSpan
    // SAFETY: the context is lent for this call only.
    try unsafe context.handle.withUnsafeHandle { (context) throws(CryptoError) in
        try check("EVP_DigestFinal_ex") { unsafe EVP_DigestFinal_ex(context, &digestSpan, &writtenSpan) }
    }
    return Array(digest.prefix(Int(written[0])))
}

/// Feeds `bytes` to the digest in `context` (`EVP_DigestUpdate`).
func updateDigest(_ context: borrowing DigestContext, _ bytes: Span<UInt8>) throws(CryptoError) {
    // SAFETY: the context is lent for this call only.
    try unsafe context.handle.withUnsafeHandle { (context) throws(CryptoError) in
        try check("EVP_DigestUpdate") { unsafe EVP_DigestUpdate(context, RawSpan(_elements: bytes)) }
    }
}

/// An `EVP_MD_CTX` (digesting, signing or verifying) that Swift owns and frees once.
@safe
struct DigestContext: ~Copyable {
    let handle: OwnedHandle<OpaquePointer>

    /// A new, empty context.
    init() throws(CryptoError) {
        clearErrors()
        // SAFETY: EVP_MD_CTX_new returns a context nothing else frees, or NULL.
        guard let handle = unsafe OwnedHandle(adopting: EVP_MD_CTX_new(), free: { unsafe EVP_MD_CTX_free($0) })
        else { throw drainErrors("EVP_MD_CTX_new") }
        unsafe self.handle = handle
    }

    /// A context digesting with `algorithm`.
    static func digesting(_ algorithm: EVP_MD) throws(CryptoError) -> DigestContext {
        let context = try DigestContext()
        // SAFETY: the context is lent for this call only.
        try unsafe context.handle.withUnsafeHandle { (context) throws(CryptoError) in
            try check("EVP_DigestInit_ex") { unsafe EVP_DigestInit_ex(context, algorithm, nil) }
        }
        return context
    }
}

/// `EVP_Digest`: the digest of `bytes` in one call.
func oneShotDigest(_ algorithm: EVP_MD, _ bytes: Span<UInt8>) throws(CryptoError) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: maxDigestLength)
    var written: [CUnsignedInt] = [0]
    var digestSpan = digest.mutableSpan
    var writtenSpan = written.mutableSpan
    try check("EVP_Digest") { EVP_Digest(RawSpan(_elements: bytes), &digestSpan, &writtenSpan, algorithm, nil) }
    return Array(digest.prefix(Int(written[0])))
}

/// `HMAC`: the message authentication code of `message` under `key`.
func oneShotHMAC(_ algorithm: EVP_MD, key: Span<UInt8>, message: Span<UInt8>) throws(CryptoError) -> [UInt8] {
    // SAFETY: HMAC writes at most EVP_MAX_MD_SIZE bytes and reports the count.
    try unsafe [UInt8](cWritingUpTo: maxDigestLength) { (buffer) throws(CryptoError) in
        var written: CUnsignedInt = 0
        clearErrors()
        guard unsafe HMAC(algorithm, RawSpan(_elements: key), message, buffer.baseAddress, &written) != nil else {
            throw drainErrors("HMAC")
        }
        return .wrote(Int(written))
    }
}

/// A raw key's bytes (`EVP_PKEY_get_raw_public_key`), `length` of them.
func rawPublicKey(_ key: EVP_PKEY, length: Int) throws(CryptoError) -> [UInt8] {
    // SAFETY: C is told the buffer's capacity in `written` and writes at most that many
    // bytes, then the count it wrote.
    try unsafe [UInt8](cWritingUpTo: length) { (buffer) throws(CryptoError) in
        var written = buffer.count
        try check("EVP_PKEY_get_raw_public_key") {
            unsafe EVP_PKEY_get_raw_public_key(key, buffer.baseAddress, &written)
        }
        return .wrote(written)
    }
}

/// An Ed25519 signature of `message` (`EVP_DigestSign`, one shot: Ed25519 hashes inside).
func signEd25519(_ key: EVP_PKEY, _ message: Span<UInt8>, length: Int) throws(CryptoError) -> [UInt8] {
    let context = try DigestContext()
    // SAFETY: the context is lent for this call only.
    try unsafe context.handle.withUnsafeHandle { (context) throws(CryptoError) in
        try check("EVP_DigestSignInit") { unsafe EVP_DigestSignInit(context, nil, nil, nil, key) }
    }
    // SAFETY: EVP_DigestSign is told the signature buffer's capacity in `written`, writes
    // at most that many bytes and reports the count; the context is lent for the call.
    return try unsafe [UInt8](cWritingUpTo: length) { (buffer) throws(CryptoError) in
        var written = buffer.count
        try unsafe context.handle.withUnsafeHandle { (context) throws(CryptoError) in
            try check("EVP_DigestSign") { unsafe EVP_DigestSign(context, buffer.baseAddress, &written, message) }
        }
        return .wrote(written)
    }
}

/// Whether `signature` is `key`'s Ed25519 signature of `message` (`EVP_DigestVerify`).
func verifyEd25519(_ key: EVP_PKEY, _ signature: Span<UInt8>, _ message: Span<UInt8>) throws(CryptoError) -> Bool {
    let context = try DigestContext()
    // SAFETY: the context is lent for these calls only.
    return try unsafe context.handle.withUnsafeHandle { (context) throws(CryptoError) in
        try check("EVP_DigestVerifyInit") { unsafe EVP_DigestVerifyInit(context, nil, nil, nil, key) }
        clearErrors()
        switch unsafe EVP_DigestVerify(context, signature, message) {
        case 1: return true
        case 0:
            // A signature that does not verify is an answer, not an error: its queue entry goes.
            clearErrors()
            return false
        default: throw drainErrors("EVP_DigestVerify")
        }
    }
}
