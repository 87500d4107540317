import SafeFFIAnnotate
import Testing

@Suite("Overrides files: a line the annotator cannot use is named, with why")
struct OverridesTests {
    @Test(
        "each malformed overrides file is refused at its line, in words a person can act on",
        arguments: [
            (
                "Name: CSQLite\n", 1,
                "Name: CSQLite belongs to the generated notes; the overrides hold Functions: and Tags: only"
            ),
            ("Globals:\n", 1, "expected Functions: or Tags:, found Globals:"),
            ("- Name: f\n", 1, "an entry before Functions: or Tags:"),
            ("Functions:\n- Position: 1\n", 2, "an entry starts with - Name: (block style), found - Position: 1"),
            ("Functions:\n- Name: not-c\n", 2, "not-c is not a C name"),
            ("Functions:\n  Omit: true\n", 2, "an indented line outside an entry"),
            ("Functions:\n- Name: f\n  Omit: true\n- Name: f\n  Omit: true\n", 4, "f appears twice in Functions"),
        ] as [(String, Int, String)])
    func refused(text: String, line: Int, message: String) {
        #expect(throws: AnnotateError(.overrides(line: line), message: message)) {
            _ = try Overrides(parsing: text)
        }
        #expect(AnnotateError(.overrides(line: line), message: message).description == "line \(line): \(message)")
    }

    @Test("a well-formed file keeps each entry, with the line it starts on")
    func accepted() throws {
        let overrides = try Overrides(
            parsing: "Functions:\n- Name: f\n  Omit: true\nTags:\n- Name: t\n  SwiftImportAs: reference\n")
        #expect(overrides.entries.map(\.name) == ["f", "t"])
        #expect(overrides.entries.map(\.line) == [2, 5])
    }
}
