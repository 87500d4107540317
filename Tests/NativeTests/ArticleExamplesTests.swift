import CNative
import Foundation
import KeyValueStore
import Native
import TestSupport
import Testing

/// The code of the Native, KeyValueStore and PluginKit catalogs, compiled and run here.
/// "article code is mirrored" checks that each ```swift block of those catalogs appears in
/// this file (or in the example plugin's source), so a catalog cannot show code that does
/// not build. SafeFFI's articles are checked by Tests/SafeFFITests/ArticleExamplesTests.swift.
extension NativeTests {
    @Suite("Documentation examples", .nameCleared)
    struct ArticleExamplesTests {
        static let package = PackagePaths.root

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
