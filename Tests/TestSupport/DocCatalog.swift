// The Swift code of a DocC catalog, for tests that prove every snippet compiles.

import Foundation

/// The ```swift blocks of a DocC catalog, and the check that each appears in code the
/// tests compile, so an article cannot show code that does not build.
public enum DocCatalog {
    /// One ```swift block of an article: its file name and its code, normalised.
    public struct Block: Sendable {
        public let file: String
        public let code: String
    }

    /// Every ```swift block of the catalog at `catalog`, in its `.md` files.
    public static func swiftBlocks(in catalog: URL) throws -> [Block] {
        try FileManager.default.contentsOfDirectory(atPath: catalog.path).filter { $0.hasSuffix(".md") }.sorted()
            .flatMap { file in
                let text = try String(contentsOf: catalog.appending(path: file), encoding: .utf8)
                return text.components(separatedBy: "```swift\n").dropFirst().map { block in
                    Block(file: file, code: normalised(block.components(separatedBy: "```")[0]))
                }
            }
    }

    /// The text of `files`, normalised as blocks are, to search for them in.
    public static func mirrors(_ files: [URL]) throws -> [String] {
        try files.map { normalised(try String(contentsOf: $0, encoding: .utf8)) }
    }

    /// `text` without indentation, runs of spaces or empty lines (the formatter may move them).
    static func normalised(_ text: String) -> String {
        text.split(separator: "\n").map { line in
            line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}
