// A user's corrections, which win over inference: written once, kept across runs.

import Foundation

/// Entries that replace what the annotator infers: the file is API notes in block style —
/// top-level `Functions:` and `Tags:` lists whose items start with `- Name: …` — and an
/// entry replaces the inferred entry of the same name whole (or adds one). An entry holding
/// `Omit: true` drops the inferred entry and writes nothing for the name.
///
/// ```yaml
/// Functions:
/// - Name: sqlite3_bind_text        # its length parameter is unnamed in sqlite3.h
///   Parameters:
///   - Position: 2
///     BoundsSafety: {Kind: counted_by, BoundedBy: "3", Level: 0}
/// - Name: sqlite3_uri_key          # N is an index, not a length
///   Omit: true
/// ```
public struct Overrides: Equatable, Sendable {
    /// One entry: its section, its name, and its lines as written (comments included).
    public struct Entry: Equatable, Sendable {
        public let section: Section
        public let name: String
        public let lines: [String]
        /// Where it starts in the file, from 1.
        public let line: Int
        /// Whether the entry only drops the inferred one.
        public var omits: Bool {
            lines.contains { line in
                let words =
                    line.split(separator: "#", maxSplits: 1).first.map { $0.split(whereSeparator: \.isWhitespace) }
                    ?? []
                return words.map(String.init) == ["Omit:", "true"] || words.map(String.init) == ["-", "Omit:", "true"]
            }
        }
    }

    public enum Section: String, Sendable, CaseIterable {
        case tags = "Tags"
        case functions = "Functions"
    }

    public var entries: [Entry] = []

    public init() {}

    /// Reads an overrides file's text.
    public init(parsing text: String) throws(AnnotateError) {
        var section: Section?
        var current: (name: String, lines: [String], line: Int)?
        func finish() {
            if let current, let section {
                var lines = current.lines
                while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
                entries.append(Entry(section: section, name: current.name, lines: lines, line: current.line))
            }
            current = nil
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = String(raw)
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if content.allSatisfy(\.isWhitespace) {
                current?.lines.append(line)
                continue
            }
            if !line.hasPrefix(" ") && !line.hasPrefix("-") {
                finish()
                let key = content.trimmingCharacters(in: .whitespaces)
                guard key.hasSuffix(":"), let named = Section(rawValue: String(key.dropLast())) else {
                    if key.hasPrefix("Name:") || key.hasPrefix("SwiftVersions:") {
                        throw AnnotateError(
                            .overrides(line: number),
                            message:
                                "\(key) belongs to the generated notes; the overrides hold Functions: and Tags: only")
                    }
                    throw AnnotateError(.overrides(line: number), message: "expected Functions: or Tags:, found \(key)")
                }
                section = named
                continue
            }
            if line.hasPrefix("- ") {
                finish()
                guard section != nil else {
                    throw AnnotateError(.overrides(line: number), message: "an entry before Functions: or Tags:")
                }
                let words = content.dropFirst(2).split(separator: ":", maxSplits: 1)
                guard words.count == 2, words[0] == "Name" else {
                    throw AnnotateError(
                        .overrides(line: number),
                        message:
                            "an entry starts with - Name: (block style), found \(content.trimmingCharacters(in: .whitespaces))"
                    )
                }
                let name = words[1].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw AnnotateError(.overrides(line: number), message: "\(name) is not a C name")
                }
                current = (name, [line], number)
                continue
            }
            guard current != nil else {
                throw AnnotateError(.overrides(line: number), message: "an indented line outside an entry")
            }
            current?.lines.append(line)
        }
        finish()
        var seen: Set<String> = []
        for entry in entries {
            guard seen.insert("\(entry.section.rawValue) \(entry.name)").inserted else {
                throw AnnotateError(
                    .overrides(line: entry.line), message: "\(entry.name) appears twice in \(entry.section.rawValue)")
            }
        }
    }

    func entry(_ section: Section, _ name: String) -> Entry? {
        entries.first { $0.section == section && $0.name == name }
    }
}
