// One test file for both wrappers: the same behaviour, value for value. ZlibPlainTests
// holds a symbolic link to this file and compiles it with PLAIN defined.

import Foundation
import Testing

#if PLAIN
    import ZlibPlain
#else
    import Zlib
#endif

let hello = Array("hello".utf8)
/// zlib's stream for "hello" at the default level (Python's zlib.compress(b"hello")).
let helloCompressed: [UInt8] = [0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15]
/// zlib's stream for no bytes.
let emptyCompressed: [UInt8] = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]

@Suite("One-shot compression")
struct OneShotTests {
    @Test("compress gives zlib's exact stream, uncompress gives the bytes back")
    func exactRoundTrip() throws {
        #expect(try Zlib.compress(hello.span) == helloCompressed)
        #expect(try Zlib.uncompress(helloCompressed.span) == hello)
    }

    @Test("empty input round-trips through an 8-byte stream")
    func empty() throws {
        #expect(try Zlib.compress([UInt8]().span) == emptyCompressed)
        #expect(try Zlib.uncompress(emptyCompressed.span) == [])
    }

    @Test("round trips at every level, across the output retry (1 MB of zeros from 1 KB)")
    func levelsAndRetry() throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        for level in [CompressionLevel.none, .bestSpeed, .default, .best, CompressionLevel(4)!] {
            let packed = try Zlib.compress(zeros.span, level: level)
            #expect(try Zlib.uncompress(packed.span) == zeros)
        }
        #expect(CompressionLevel(10) == nil)
        #expect(CompressionLevel(-1) == nil)
    }

    @Test("corrupt input is a data error with zlib's message")
    func corrupt() {
        #expect(throws: ZlibError.zlib(status: .dataError, message: "data error")) {
            try Zlib.uncompress([UInt8]([1, 2, 3, 4]).span)
        }
    }

    @Test("truncated input is a data error, never a short result")
    func truncated() throws {
        let packed = try Zlib.compress(Array("hello hello hello hello".utf8).span)
        #expect(throws: ZlibError.zlib(status: .dataError, message: "data error")) {
            try Zlib.uncompress(Array(packed[..<6]).span)
        }
        #expect(throws: ZlibError.zlib(status: .dataError, message: "data error")) {
            try Zlib.uncompress([UInt8]().span)
        }
    }

    @Test("output above the caller's limit is refused")
    func limit() throws {
        let packed = try Zlib.compress([UInt8](repeating: 7, count: 10_000).span)
        #expect(throws: ZlibError.outputLimitExceeded(limit: 100)) { try Zlib.uncompress(packed.span, limit: 100) }
        #expect(try Zlib.uncompress(packed.span, limit: 10_000).count == 10_000)
    }
}

@Suite("Checksums and version")
struct ChecksumTests {
    @Test("CRC-32 and Adler-32 check values, empty input, and continuation")
    func checksums() {
        let digits = Array("123456789".utf8)
        #expect(Zlib.crc32(digits.span) == 0xCBF4_3926)
        #expect(Zlib.adler32(Array("Wikipedia".utf8).span) == 0x11E6_0398)
        #expect(Zlib.crc32([UInt8]().span) == 0)
        #expect(Zlib.adler32([UInt8]().span) == 1)
        let first = Zlib.crc32(Array(digits[..<4]).span)
        #expect(Zlib.crc32(Array(digits[4...]).span, continuing: first) == 0xCBF4_3926)
        let adler = Zlib.adler32(Array(digits[..<4]).span)
        #expect(Zlib.adler32(Array(digits[4...]).span, continuing: adler) == Zlib.adler32(digits.span))
    }

    @Test("the version is zlib's, such as 1.2.13")
    func version() {
        let parts = Zlib.version.split(separator: ".")
        #expect(parts.count >= 3)
        #expect(parts.first == "1")
    }
}

@Suite("Streaming")
struct StreamingTests {
    @Test("chunks deflated, then inflated in other chunks, give the bytes back")
    func roundTrip() throws {
        let text = Array(String(repeating: "streaming zlib from Swift, ", count: 5_000).utf8)
        var deflater = try Deflater(level: .best)
        var packed: [UInt8] = []
        for start in stride(from: 0, to: text.count, by: 1_000) {
            packed += try deflater.update(Array(text[start..<min(start + 1_000, text.count)]).span)
        }
        packed += try deflater.finish()
        #expect(try Zlib.uncompress(packed.span) == text)

        var inflater = try Inflater()
        var unpacked: [UInt8] = []
        for start in stride(from: 0, to: packed.count, by: 7) {
            unpacked += try inflater.update(Array(packed[start..<min(start + 7, packed.count)]).span)
        }
        let finished = inflater.isFinished
        #expect(finished)
        let rest = try inflater.finish()
        #expect(unpacked + rest == text)
    }

    @Test("an empty stream deflates to zlib's 8 bytes and inflates to nothing")
    func emptyStream() throws {
        let deflater = try Deflater()
        let packed = try deflater.finish()
        #expect(packed == emptyCompressed)
        var inflater = try Inflater()
        #expect(try inflater.update(emptyCompressed.span) == [])
        let rest = try inflater.finish()
        #expect(rest == [])
    }

    @Test("a corrupt stream is a data error with the stream's own message")
    func corrupt() throws {
        var inflater = try Inflater()
        #expect(throws: ZlibError.zlib(status: .dataError, message: "incorrect header check")) {
            try inflater.update([UInt8]([1, 2, 3, 4]).span)
        }
        var blocks = try Inflater()
        #expect(throws: ZlibError.zlib(status: .dataError, message: "invalid block type")) {
            try blocks.update([UInt8]([0x78, 0x9c, 0xff, 0xff, 0xff, 0xff]).span)
        }
    }

    @Test("a truncated stream is refused when it is finished")
    func truncated() throws {
        var inflater = try Inflater()
        #expect(try inflater.update(Array(helloCompressed[..<7]).span) == Array("hell".utf8))
        do {
            _ = try inflater.finish()
            Issue.record("a truncated stream finished")
        } catch {
            #expect(error == .truncatedInput)
        }
    }

    @Test("bytes after the end of the stream are refused")
    func trailing() throws {
        var inflater = try Inflater()
        #expect(throws: ZlibError.trailingData(count: 3)) { try inflater.update((helloCompressed + [1, 2, 3]).span) }
        var ended = try Inflater()
        #expect(try ended.update(helloCompressed.span) == hello)
        #expect(throws: ZlibError.trailingData(count: 1)) { try ended.update([UInt8]([0]).span) }
    }

    /// The process's peak resident memory (VmHWM), in bytes.
    func peakResidentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        let kilobytes = try #require(Int(line.split(separator: " ").dropFirst().first ?? ""))
        return kilobytes * 1024
    }

    @Test("100 MB through Deflater and Inflater in bounded memory")
    func hundredMegabytes() throws {
        let chunkSize = 1 << 20
        let total = 100 * chunkSize
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var seed: UInt32 = 2_463_534_242
        var deflater = try Deflater(level: .bestSpeed)
        var inflater = try Inflater()
        var crcIn: UInt32 = 0
        var crcOut: UInt32 = 0
        var bytesOut = 0
        var largest = 0
        let peakBefore = try peakResidentBytes()
        for _ in 0..<(total / chunkSize) {
            for index in chunk.indices {  // compressible: 16 symbols, xorshift-chosen
                seed ^= seed << 13
                seed ^= seed >> 17
                seed ^= seed << 5
                chunk[index] = UInt8(truncatingIfNeeded: seed & 0x0f) &+ 0x41
            }
            crcIn = Zlib.crc32(chunk.span, continuing: crcIn)
            let packed = try deflater.update(chunk.span)
            let unpacked = try inflater.update(packed.span)
            crcOut = Zlib.crc32(unpacked.span, continuing: crcOut)
            bytesOut += unpacked.count
            largest = max(largest, packed.count, unpacked.count)
        }
        let last = try deflater.finish()
        let lastUnpacked = try inflater.update(last.span)
        crcOut = Zlib.crc32(lastUnpacked.span, continuing: crcOut)
        bytesOut += lastUnpacked.count
        let rest = try inflater.finish()
        #expect(rest == [])
        #expect(bytesOut == total)
        #expect(crcOut == crcIn)
        #expect(largest <= 4 * chunkSize)
        let growth = try peakResidentBytes() - peakBefore
        #expect(growth < 64 << 20, "the stream must not be held in memory")
    }
}
