// Counts libcrypto's allocations from its very first one (CRYPTO_set_mem_functions must come
// before any), then makes, uses and drops keys and digests, and prints how many blocks are
// still live before and after. CryptoTests runs it; a key the notes' ownership got wrong
// would leave blocks behind (or free one twice).

import COpenSSL
import Crypto
import Glibc
import Synchronization

let liveBlocks = Atomic<Int>(0)

// SAFETY: each hook forwards to the C allocator one for one; only the counts are added.
let installed = unsafe CRYPTO_set_mem_functions(
    { size, _, _ in
        liveBlocks.add(1, ordering: .relaxed)
        return unsafe malloc(size)
    },
    { pointer, size, _, _ in
        if unsafe pointer == nil { liveBlocks.add(1, ordering: .relaxed) }
        return unsafe realloc(pointer, size)
    },
    { pointer, _, _ in
        if unsafe pointer != nil { liveBlocks.add(-1, ordering: .relaxed) }
        unsafe free(pointer)
    })
guard installed == 1 else { fatalError("libcrypto allocated before the hooks were installed") }

let rounds = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000

/// One of everything: a key from a seed, its public key, a signature and its check, a
/// generated key, digests one-shot and streaming, an HMAC.
func exercise(_ round: Int) throws {
    let seed = [UInt8](repeating: UInt8(truncatingIfNeeded: round), count: 32)
    let key = try Ed25519PrivateKey(rawRepresentation: seed.span)
    let message = Array("round \(round)".utf8)
    let signature = try key.signature(for: message.span)
    let copy = key  // a second reference to the same EVP_PKEY
    let valid = try copy.publicKey.isValidSignature(signature.span, for: message.span)
    let generated = try Ed25519PrivateKey()
    let validForOther = try generated.publicKey.isValidSignature(signature.span, for: message.span)
    precondition(valid && !validForOther, "signatures do not check")
    _ = try DigestAlgorithm.sha256.digest(message.span)
    var stream = try StreamingDigest(.sha512)
    try stream.update(message.span)
    _ = try stream.finish()
    _ = try DigestAlgorithm.sha256.authenticationCode(for: message.span, key: seed.span)
}

// libcrypto keeps what it sets up on first use (providers, method tables) until exit: one
// round first, then the count.
try exercise(0)
let before = liveBlocks.load(ordering: .relaxed)
for round in 1...rounds { try exercise(round) }
let after = liveBlocks.load(ordering: .relaxed)
print("rounds \(rounds) live-before \(before) live-after \(after)")
