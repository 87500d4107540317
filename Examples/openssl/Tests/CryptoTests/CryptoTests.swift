import COpenSSL
import Foundation
import Testing

@testable import Crypto

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

func bytes(_ hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        result.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return result
}

@Suite("libcrypto through API notes and SafeFFI")
struct CryptoTests {
    @Test("SHA-256 and SHA-512, one shot: FIPS 180-4's examples")
    func oneShot() throws {
        let abc = Array("abc".utf8)
        #expect(
            hex(try DigestAlgorithm.sha256.digest(abc.span))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            hex(try DigestAlgorithm.sha256.digest([UInt8]().span))
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            hex(try DigestAlgorithm.sha512.digest(abc.span))
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }

    @Test("streaming: a million 'a's in 1,000-byte parts; parts give the one-shot digest")
    func streaming() throws {
        var digest = try StreamingDigest(.sha256)
        let part = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000)
        for _ in 0..<1_000 { try digest.update(part.span) }
        #expect(hex(try digest.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")

        let text = Array("The quick brown fox jumps over the lazy dog".utf8)
        var parts = try StreamingDigest(.sha512)
        let head = Array(text[..<10])
        let empty: [UInt8] = []
        let tail = Array(text[10...])
        try parts.update(head.span)
        try parts.update(empty.span)
        try parts.update(tail.span)
        #expect(try parts.finish() == (try DigestAlgorithm.sha512.digest(text.span)))
    }

    @Test("HMAC-SHA-256 and HMAC-SHA-512: RFC 4231 test cases 2 and 6")
    func hmac() throws {
        let key = Array("Jefe".utf8)
        let data = Array("what do ya want for nothing?".utf8)
        #expect(
            hex(try DigestAlgorithm.sha256.authenticationCode(for: data.span, key: key.span))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            hex(try DigestAlgorithm.sha512.authenticationCode(for: data.span, key: key.span))
                == "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737")
        // A key longer than the block size is hashed first (test case 6).
        let long = [UInt8](repeating: 0xAA, count: 131)
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(
            hex(try DigestAlgorithm.sha256.authenticationCode(for: message.span, key: long.span))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("Ed25519: RFC 8032's tests 1 and 2, exact public keys and signatures")
    func ed25519Vectors() throws {
        let vectors: [(secret: String, public: String, message: String, signature: String)] = [
            (
                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                    + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            ),
            (
                "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                    + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
            ),
        ]
        for vector in vectors {
            let key = try Ed25519PrivateKey(rawRepresentation: bytes(vector.secret).span)
            #expect(hex(key.publicKey.rawRepresentation) == vector.public)
            let message = bytes(vector.message)
            let signature = try key.signature(for: message.span)
            #expect(hex(signature) == vector.signature)
            let verifier = try Ed25519PublicKey(rawRepresentation: bytes(vector.public).span)
            #expect(verifier == key.publicKey)
            #expect(try verifier.isValidSignature(signature.span, for: message.span))
        }
    }

    @Test("a signature that does not verify is false, and leaves OpenSSL's error queue empty")
    func invalidSignatures() throws {
        let key = try Ed25519PrivateKey()
        let message = Array("signed".utf8)
        var signature = try key.signature(for: message.span)
        #expect(try key.publicKey.isValidSignature(signature.span, for: message.span))
        #expect(try !key.publicKey.isValidSignature(signature.span, for: Array("signet".utf8).span))
        #expect(ERR_peek_error() == 0)
        signature[0] ^= 1
        #expect(try !key.publicKey.isValidSignature(signature.span, for: message.span))
        #expect(ERR_peek_error() == 0)
        let short = Array(signature.dropLast())
        #expect(try !key.publicKey.isValidSignature(short.span, for: message.span))
        #expect(try !(try Ed25519PrivateKey()).publicKey.isValidSignature(signature.span, for: message.span))
    }

    @Test("keys of the wrong length are refused before OpenSSL sees them")
    func wrongLengths() {
        #expect(throws: CryptoError.invalidLength(expected: 32, actual: 31)) {
            try Ed25519PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31).span)
        }
        #expect(throws: CryptoError.invalidLength(expected: 32, actual: 33)) {
            try Ed25519PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33).span)
        }
        #expect(
            CryptoError.invalidLength(expected: 32, actual: 31).description == "expected 32 bytes, got 31")
    }

    @Test("OpenSSL's own failure: its queue's messages in the error, the queue left empty")
    func errorQueue() throws {
        // A call the wrapper would have refused: a 31-byte Ed25519 key, straight to C. The
        // text is OpenSSL 3.0's (Debian 12's libssl3) for this failure.
        let short = [UInt8](repeating: 1, count: 31)
        ERR_clear_error()
        #expect(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, short.span) == nil)
        let error = drainErrors("EVP_PKEY_new_raw_private_key")
        guard case .openssl(let function, let errors) = error else {
            Issue.record("not an OpenSSL error: \(error)")
            return
        }
        #expect(function == "EVP_PKEY_new_raw_private_key")
        #expect(errors.map(\.message) == ["error:030000B4:digital envelope routines::key setup failed"])
        #expect(errors.map(\.code) == [0x0300_00B4])
        #expect(
            error.description
                == "EVP_PKEY_new_raw_private_key failed: error:030000B4:digital envelope routines::key setup failed")
        #expect(ERR_peek_error() == 0)
        #expect(drainErrors("f") == .openssl(function: "f", errors: []))
        #expect(drainErrors("f").description == "f failed (OpenSSL gave no reason)")
    }

    @Test("random bytes: the count asked for, different each time; a negative count refused")
    func random() throws {
        let first = try randomBytes(count: 32)
        let second = try randomBytes(count: 32)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(try randomBytes(count: 0) == [])
        #expect(throws: CryptoError.self) { try randomBytes(count: -1) }
        #expect(throws: CryptoError.self) { try randomBytes(count: Int(Int32.max) + 1) }
    }

    @Test("every EVP_PKEY and EVP_MD_CTX is freed: 1,000 rounds leave libcrypto's live blocks as they were")
    func noLeaks() throws {
        let probe = Bundle.main.bundleURL.appending(path: "openssl-allocation-probe")
        let process = Process()
        process.executableURL =
            FileManager.default.fileExists(atPath: probe.path)
            ? probe
            : URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent().appending(
                path: "openssl-allocation-probe")
        process.arguments = ["1000"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        let fields = text.split(separator: " ").map(String.init)
        try #require(fields.count == 6, "\(text)")
        #expect(fields[1] == "1000")
        #expect(fields[3] == fields[5].trimmingCharacters(in: .whitespacesAndNewlines), "blocks leaked: \(text)")
    }
}
