// The checks defined in native_plugin.h, called directly: their limits, their UTF-8 decoder
// against Swift's, and the header standing alone for a C or C++ host.

import CPluginABI
import Foundation
import SafeFFI
import TestSupport
import Testing

@Suite("The plugin ABI's checks in native_plugin.h")
struct PluginABITests {
    /// Runs native_plugin_check_process as a host would, with a real output buffer when
    /// `hasOutput` (the check only compares the pointer with NULL).
    static func checkProcess(code: Int32, hasOutput: Bool, length: Int, message: String?) -> native_plugin_check {
        var byte: UInt8 = 0
        let text = message.map { Array($0.utf8CString) }
        // SAFETY: `byte` and `text` outlive the call, which only compares the output pointer
        // with NULL and reads the message up to its NUL.
        return unsafe withUnsafeMutablePointer(to: &byte) { output in
            unsafe text.withOptionalCString { message in
                unsafe native_plugin_check_process(code, hasOutput ? output : nil, length, message)
            }
        }
    }

    @Test("process: the output limit is 1 GiB, NULL with length 0 is the empty output")
    func processLimits() {
        let limit = 1 << 30
        #expect(Self.checkProcess(code: 0, hasOutput: true, length: limit, message: nil) == NATIVE_PLUGIN_VALID)
        #expect(
            Self.checkProcess(code: 0, hasOutput: true, length: limit + 1, message: nil)
                == NATIVE_PLUGIN_PROCESS_OUTPUT_TOO_LONG)
        // size_t's SIZE_MAX, as Swift's Int reads it back.
        #expect(
            Self.checkProcess(code: 0, hasOutput: true, length: -1, message: nil)
                == NATIVE_PLUGIN_PROCESS_OUTPUT_TOO_LONG)
        #expect(Self.checkProcess(code: 0, hasOutput: false, length: 0, message: nil) == NATIVE_PLUGIN_VALID)
        #expect(Self.checkProcess(code: 0, hasOutput: true, length: 0, message: nil) == NATIVE_PLUGIN_VALID)
        #expect(
            Self.checkProcess(code: 0, hasOutput: false, length: 1, message: nil) == NATIVE_PLUGIN_PROCESS_NULL_OUTPUT)
        #expect(
            Self.checkProcess(code: 0, hasOutput: true, length: 1, message: "")
                == NATIVE_PLUGIN_PROCESS_MESSAGE_ON_SUCCESS)
        // On failure only the message counts: the output is freed, never read.
        #expect(Self.checkProcess(code: 2, hasOutput: false, length: -1, message: nil) == NATIVE_PLUGIN_VALID)
        #expect(Self.checkProcess(code: 2, hasOutput: false, length: 0, message: "bad") == NATIVE_PLUGIN_VALID)
        #expect(Self.checkProcess(code: -7, hasOutput: false, length: 0, message: "ü") == NATIVE_PLUGIN_VALID)
    }

    @Test("create: OK needs an instance and no message; a failure's message must be UTF-8")
    func createChecks() {
        var instance: UInt8 = 0
        func check(_ code: Int32, _ hasInstance: Bool, _ message: [CChar]?) -> native_plugin_check {
            // SAFETY: `instance` and `message` outlive the call, which compares the instance
            // with NULL and reads the message up to its NUL.
            unsafe withUnsafeMutablePointer(to: &instance) { pointer in
                unsafe message.withOptionalCString {
                    unsafe native_plugin_check_create(code, hasInstance ? pointer : nil, $0)
                }
            }
        }
        #expect(check(0, true, nil) == NATIVE_PLUGIN_VALID)
        #expect(check(0, false, nil) == NATIVE_PLUGIN_CREATE_NO_INSTANCE)
        #expect(check(0, true, [0]) == NATIVE_PLUGIN_CREATE_MESSAGE_ON_SUCCESS)
        #expect(check(1, false, nil) == NATIVE_PLUGIN_VALID)
        #expect(check(1, true, Array("refused".utf8CString)) == NATIVE_PLUGIN_VALID)
        #expect(check(1, false, [0x61, -1, 0]) == NATIVE_PLUGIN_CREATE_MESSAGE_NOT_UTF8)
    }

    @Test("every check has its own words")
    func messages() throws {
        let checks = (0...12).map { native_plugin_check(rawValue: $0) }
        // SAFETY: native_plugin_check_message returns a static NUL-terminated string.
        let words = checks.map { unsafe String(cString: native_plugin_check_message($0)) }
        #expect(Set(words).count == checks.count)
        #expect(
            words[9] == "the plugin broke the ABI: process returned OK with a NULL output of non-zero length")
    }

    /// The C decoder's verdict on `bytes` (no NUL among them): nil, or the first bad offset.
    static func cFirstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        let text = bytes.map { CChar(bitPattern: $0) } + [0]
        var offset = 0
        // SAFETY: `text` is NUL-terminated and outlives the call, which reads up to its NUL.
        let valid = unsafe native_plugin_is_utf8(text, &offset)
        return valid == 1 ? nil : offset
    }

    @Test("the header's UTF-8 decoder agrees with SafeFFI's on every 1- and 2-byte string and on 3- and 4-byte edges")
    func utf8Agreement() {
        var disagreements: [[UInt8]] = []
        func compare(_ bytes: [UInt8]) {
            if Self.cFirstInvalidOffset(bytes) != UTF8Validation.firstInvalidOffset(in: bytes.span) {
                disagreements.append(bytes)
            }
        }
        for first in UInt8(1)...0xFF {
            compare([first])
            for second in UInt8(1)...0xFF {
                compare([first, second])
            }
        }
        // The bytes on each side of every range boundary of Unicode's Table 3-7.
        let edges: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xF5, 0xFF]
        var compared = 0
        for lead in UInt8(0xE0)...0xFF {
            for second in edges {
                for third in edges {
                    compare([lead, second, third])
                    compared += 1
                    for fourth in edges {
                        compare([lead, second, third, fourth, 0x41])
                        compared += 1
                    }
                }
            }
        }
        #expect(compared == 32 * 11 * 11 * 12)
        #expect(disagreements == [])
        #expect(Self.cFirstInvalidOffset(Array("héllo, wörld €𝄞".utf8)) == nil)
        #expect(Self.cFirstInvalidOffset([0x61, 0xE2, 0x82]) == 1)
        #expect(Self.cFirstInvalidOffset([0xED, 0xA0, 0x80]) == 0)  // a surrogate
        #expect(Self.cFirstInvalidOffset([0xC0, 0xAF]) == 0)  // an overlong '/'
    }

    @Test("a host written from the header alone builds with nothing to link: C11 and C99 pedantic, C++11")
    func headerAlone() throws {
        let include = PackagePaths.root.appending(path: "Sources/CPluginABI/include").path
        let header = "\(include)/native_plugin.h"
        let directory = FileManager.default.temporaryDirectory.appending(path: "abi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let host = directory.appending(path: "plugin-host").path
        let compilations = [
            // plugin-host itself, outside SwiftPM: the checks come from the header, no library.
            [
                "cc", "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-I", include,
                PackagePaths.root.appending(path: "Sources/plugin-host/main.c").path, "-ldl", "-o", host,
            ],
            ["cc", "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only", "-x", "c", header],
            ["c++", "-std=c++11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only", "-x", "c++", header],
        ]
        for arguments in compilations {
            let result = try runChildProcess(URL(filePath: "/usr/bin/env"), arguments, mergeError: true)
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.error)")
        }
        // A plugin built by cc too: a sanitized Swift plugin would need its runtime in this host.
        let plugin = try MalformedPluginTests.build("CASE_NONE", in: directory)
        let run = try runChildProcess(URL(filePath: host), [plugin], input: Array("abc".utf8))
        #expect(run.status == 0)
        #expect(run.outputText == "abc")
        #expect(run.error == "")
        let broken = try MalformedPluginTests.build("CASE_PROCESS_LENGTH_MAX", in: directory)
        let refusal = try runChildProcess(URL(filePath: host), [broken], input: Array("abc".utf8))
        #expect(refusal.status == 5)
        #expect(
            refusal.error
                == "plugin-host: fixture: could not process the input: the plugin broke the ABI: process returned an output length over the 1 GiB limit\n"
        )
    }
}

extension Optional where Wrapped == [CChar] {
    /// Calls `body` with the NUL-terminated characters, or with NULL for nil.
    @unsafe
    fileprivate func withOptionalCString<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let characters = self else { return body(nil) }
        // SAFETY: the caller's characters end in a NUL; the pointer is valid during `body`.
        return unsafe characters.withUnsafeBufferPointer { unsafe body($0.baseAddress) }
    }
}
