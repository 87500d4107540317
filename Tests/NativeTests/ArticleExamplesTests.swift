import CNative
import Foundation
import Glibc
import KeyValueStore
import Native
import PluginKit
import SafeFFI
import TestSupport
import Testing

/// The code of the Native, KeyValueStore and PluginKit catalogs, compiled and run here, and
/// Native behaviour the toolkit's articles once showed. "article code is mirrored" checks
/// that each ```swift block of those catalogs appears in this file (or in the example
/// plugin's source), so an article cannot show code that does not build. SafeFFI's articles
/// are checked by Tests/SafeFFITests/ArticleExamplesTests.swift.
extension NativeTests {
    @Suite("Documentation examples", .nameCleared)
    struct ArticleExamplesTests {
        static let package = PackagePaths.root

        @Test("libnative's version decodes strictly; an unknown error code has no name")
        func nativeStrings() throws {
            // SAFETY: strlen reads the NUL-terminated strings lent for the closures.
            let length = try unsafe "Hello, FFI!".withCheckedCString { unsafe strlen($0) }
            #expect(length == 11)
            #expect(throws: BoundaryError.interiorNUL(offset: 3)) {
                try unsafe "abc\0def".withCheckedCString { unsafe strlen($0) }
            }

            // SAFETY: get_version returns a static NUL-terminated string.
            let version = try unsafe String(strictCString: get_version())
            #expect(version == "1.0.0")
            // SAFETY: get_error_string returns a static string, or NULL for a code it does not know.
            let name = try unsafe get_error_string(999).map { (pointer) throws(BoundaryError) in
                try unsafe String(strictCString: pointer)
            }
            #expect(name == nil)
        }

        @Test("libnative's error message and gradient are freed after they are read")
        func nativeOwnership() throws {
            _ = perform_operation(-1)  // leaves an error message to copy
            // SAFETY: get_error_message returns a malloc'd string the caller frees with free_string.
            let message = try unsafe OwnedCString.take(get_error_message(), free: { unsafe free_string($0) })
            #expect(message == "input -1 is negative")

            let gradient = try Color.gradient(
                from: Color(r: 255, g: 0, b: 0, a: 255), to: Color(r: 0, g: 0, b: 255, a: 255), steps: 3)
            #expect(gradient.map(\.b) == [0, 128, 255])
        }

        @Test("Native's structs cross by value; a gradient count beyond Int32 is refused")
        func nativeStructs() throws {
            let distance = Point(x: 0, y: 0).distance(to: Point(x: 3, y: 4))
            #expect(distance == 5.0)
            #expect(Rect(x1: 0, y1: 0, x2: 10, y2: 10).contains(Point(x: 5, y: 5)))

            #expect(
                throws: NativeError.boundary(
                    BoundaryError.outOfRange((1 << 32) + 10, for: Int32.self))
            ) {
                _ = try Color.gradient(
                    from: Color(r: 0, g: 0, b: 0, a: 0), to: Color(r: 0, g: 0, b: 0, a: 0), steps: (1 << 32) + 10)
            }
        }

        @Test("processItems delivers each item and leaves no callback registered")
        func nativeCallbacks() {
            var received: [CInt] = []
            processItems([10, 20, 30]) { received.append($0) }
            #expect(received == [10, 20, 30])
            #expect(!isCallbackRegistered)
        }

        @Test("a NativeHandle hashes its configuration")
        func nativeHandles() throws {
            let handle = try NativeHandle(configuration: Array("some configuration".utf8))
            #expect(handle.configurationHash() == 1_680_399_568)
        }

        @Test("performOperation doubles its input, or throws with libnative's message")
        func nativeErrorCodes() throws {
            #expect(try performOperation(42) == 84)
            #expect(
                throws: NativeError.library(
                    function: "perform_operation", code: .ioError, message: "input 13 failed to reach the device")
            ) {
                try performOperation(13)
            }
        }

        @Test("a SharedBuffer filled through its span is processed in place")
        func nativeBuffers() throws {
            var buffer = try SharedBuffer(size: 4)
            buffer.withMutableSpan { span in
                for index in span.indices { span[index] = UInt8(index) }
            }
            try buffer.process()
            #expect(buffer.withSpan { span in span.indices.map { span[$0] } } == [1, 2, 3, 4])
        }

        @Test("an event stream delivers a triggered event")
        func nativeEvents() async throws {
            let stream = try EventSystem.events(ofType: 5, bufferingPolicy: .unbounded)
            triggerEvent(type: 5, payload: [1, 2, 3])
            var iterator = stream.makeAsyncIterator()
            #expect(await iterator.next() == Event(type: 5, payload: [1, 2, 3]))
        }

        @Test("the uppercase plugin, loaded from its library, upper-cases ASCII")
        func uppercasePlugin() throws {
            let uppercasePluginPath = PackagePaths.build.appending(path: "libuppercase-plugin.so").path
            let library = try PluginLibrary(path: uppercasePluginPath)
            let instance = try library.makeInstance(configuration: "ascii")
            #expect(try instance.process(Array("hello".utf8)) == Array("HELLO".utf8))
        }

        @Test("Native overview")
        func nativeOverview() {
            let distance = Point(x: 0, y: 0).distance(to: Point(x: 3, y: 4))  // 5.0
            var total = 0
            processItems([10, 20, 30, 40, 50]) { total += Int($0) }  // 150
            #expect(distance == 5.0 && total == 150)
        }

        @Test("sum_array through the compiler's Span overload")
        func sumArraySpan() {
            let floats: [Float] = [1, 2, 3.5]
            let total = sum_array(floats.span)  // no pointer, no length, no unsafe
            #expect(total == 6.5)
        }

        @Test("KeyValueStore overview")
        func keyValueStoreOverview() throws {
            let path = FileManager.default.temporaryDirectory.appending(path: "doc-\(UUID().uuidString).db").path
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            let database = try Database(path: path)
            try database.set("name", "Alice")
            let name = try database.get("name")  // "Alice"; nil for a missing key
            let existed = try database.delete("name")  // true
            #expect(name == "Alice" && existed)
        }

        @Test("article code is mirrored here, so every example compiles")
        func mirrored() throws {
            func normalised(_ text: String) -> [String] {
                // Lines, with indentation and runs of spaces ignored (the formatter may move them).
                text.split(separator: "\n").map { line in
                    line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                }.filter { !$0.isEmpty }
            }
            let mirrors = try [
                String(contentsOf: URL(filePath: #filePath), encoding: .utf8),
                String(
                    contentsOf: Self.package.appending(path: "Sources/Plugins/UpperCase/UpperCasePlugin.swift"),
                    encoding: .utf8),
            ].map { normalised($0).joined(separator: "\n") }
            var blocks = 0
            for module in ["Native", "KeyValueStore", "PluginKit"] {
                let catalog = Self.package.appending(path: "Sources/\(module)/\(module).docc")
                for file in try FileManager.default.contentsOfDirectory(atPath: catalog.path)
                where file.hasSuffix(".md") {
                    let text = try String(contentsOf: catalog.appending(path: file), encoding: .utf8)
                    for block in text.components(separatedBy: "```swift\n").dropFirst() {
                        let code = normalised(String(block.prefix { _ in true }.components(separatedBy: "```")[0]))
                        blocks += 1
                        #expect(
                            mirrors.contains { $0.contains(code.joined(separator: "\n")) },
                            "\(module)/\(file): a code block is not compiled anywhere:\n\(code.joined(separator: "\n"))"
                        )
                    }
                }
            }
            #expect(blocks >= 3)
        }
    }
}
