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
            let mirrors = try DocCatalog.mirrors([
                URL(filePath: #filePath),
                Self.package.appending(path: "Sources/Plugins/UpperCase/UpperCasePlugin.swift"),
            ])
            var count = 0
            for module in ["Native", "KeyValueStore", "PluginKit"] {
                let catalog = Self.package.appending(path: "Sources/\(module)/\(module).docc")
                for block in try DocCatalog.swiftBlocks(in: catalog) {
                    count += 1
                    #expect(
                        mirrors.contains { $0.contains(block.code) },
                        "\(module)/\(block.file): a code block is not compiled anywhere:\n\(block.code)")
                }
            }
            #expect(count >= 3)
        }
    }
}
