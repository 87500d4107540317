// native.h's bounds annotations, seen from Swift: the compiler's Span overloads, called
// with no `unsafe` in this strictly checked file, and compiled alone as a client would.

import CNative
import Foundation
import TestSupport
import Testing

@Suite("Bounds annotations in native.h")
struct AnnotationTests {
    @Test("compute_hash takes a Span: FNV-1a of \"abc\" and of nothing")
    func computeHashSpan() {
        let bytes: [UInt8] = Array("abc".utf8)
        #expect(compute_hash(bytes.span) == 0xe71f_a219_0541_574b)
        #expect(compute_hash([UInt8]().span) == 0xcbf2_9ce4_8422_2325)
    }

    @Test("sum_array takes a Span<Float>")
    func sumArraySpan() {
        let floats: [Float] = [1.5, 2.5, 3]
        #expect(sum_array(floats.span) == 7)
        #expect(sum_array([Float]().span) == 0)
    }

    @Test("modify_array takes an inout MutableSpan<CInt> and wraps Int32.max")
    func modifyArrayMutableSpan() {
        var values: [CInt] = [1, -1, CInt.max]
        var span = values.mutableSpan
        modify_array(&span)
        #expect(values == [2, 0, CInt.min])
    }

    @Test("process_array, fill_buffer and process_items take spans too")
    func otherOverloads() {
        var values: [Int32] = [3, Int32.max]
        var span = values.mutableSpan
        #expect(process_array(&span) == 2)
        #expect(values == [6, Int32.max])

        var bytes = [UInt8](repeating: 0, count: 4)
        var byteSpan = bytes.mutableSpan
        fill_buffer(&byteSpan, 0xAB)
        #expect(bytes == [0xAB, 0xAB, 0xAB, 0xAB])
    }

    static let compilePass = PackagePaths.root.appending(path: "Tests/CompilePass")

    @Test("a client of CNative compiles with strict memory safety, warnings as errors, no unsafe")
    func clientCompiles() throws {
        let source = Self.compilePass.appending(path: "span-client.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        #expect(!text.contains("unsafe "), "the client must not need unsafe")
        let build = PackagePaths.build
        let result = try runChildProcess(
            URL(filePath: "/usr/bin/env"),
            [
                "swiftc", "-typecheck", "-swift-version", "6", "-strict-memory-safety", "-warnings-as-errors",
                "-enable-experimental-feature", "SafeInteropWrappers",
                "-Xcc", "-fmodule-map-file=" + build.appending(path: "CNative.build/module.modulemap").path,
                source.path,
            ], mergeError: true)
        #expect(result.status == 0, "span-client.swift: \(result.error)")
        #expect(result.error.isEmpty, "span-client.swift printed diagnostics: \(result.error)")
    }
}
