// Writes API notes for a C library from its headers, read by Clang, and a report of what
// still needs SafeFFI. See docs/ANNOTATE.md.

import Foundation
import SafeFFIAnnotate

let usage = """
    usage: safe-ffi-annotate --module NAME --header HEADER [--header HEADER ...]
                             [--output DIRECTORY] [--overrides FILE] [--clang PATH]
                             [-- CLANG-ARGUMENTS]
      --module NAME      the Clang module the notes are for (the file is NAME.apinotes)
      --header HEADER    a header to annotate, as #include <HEADER> names it, or a path
      --output DIRECTORY where NAME.apinotes and NAME-annotations.md go (default: .)
      --overrides FILE   API notes entries that replace the inferred ones of the same
                         name (Omit: true drops one); see docs/ANNOTATE.md
      --clang PATH       the Clang to read the headers with (default: clang on the PATH,
                         which is the one beside swift)
      -- ARGUMENTS       passed to Clang (-I, -D)

    """

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
}

var module: String?
var headers: [String] = []
var output = "."
var clang = "clang"
var overridesPath: String?
var clangArguments: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--help", "-h":
        print(usage, terminator: "")
        exit(0)
    case "--":
        clangArguments = Array(arguments)
        arguments = []
    case "--module", "--header", "--output", "--clang", "--overrides":
        guard let value = arguments.popFirst(), !value.isEmpty else {
            fail("safe-ffi-annotate: \(argument) needs a value\n\(usage)", status: 2)
        }
        switch argument {
        case "--module": module = value
        case "--header": headers.append(value)
        case "--output": output = value
        case "--overrides": overridesPath = value
        default: clang = value
        }
    default:
        fail("safe-ffi-annotate: unknown argument \(argument)\n\(usage)", status: 2)
    }
}
guard let module, module.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !module.isEmpty else {
    fail("safe-ffi-annotate: --module needs a Clang module name (letters, digits, _)\n\(usage)", status: 2)
}
guard !headers.isEmpty else { fail("safe-ffi-annotate: at least one --header is needed\n\(usage)", status: 2) }

var overrides = Overrides()
if let overridesPath {
    let text: String
    do {
        text = try String(contentsOfFile: overridesPath, encoding: .utf8)
    } catch {
        fail("safe-ffi-annotate: cannot read the overrides \(overridesPath): \(error.localizedDescription)", status: 1)
    }
    do {
        overrides = try Overrides(parsing: text)
    } catch {
        fail("safe-ffi-annotate: \(overridesPath), \(error)", status: 1)
    }
}

do {
    let declarations = try ClangInvocation(clang: clang, headers: headers, arguments: clangArguments).read()
    let inference = Inference(declarations)
    let directory = URL(fileURLWithPath: output)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let notes = directory.appending(path: "\(module).apinotes")
    let report = directory.appending(path: "\(module)-annotations.md")
    try Data(inference.apiNotes(module: module, headers: headers, overrides: overrides).utf8).write(to: notes)
    try Data(inference.report(module: module, headers: headers, functionCount: declarations.functions.count).utf8)
        .write(to: report)
    print(
        "\(declarations.functions.count) functions: \(inference.bounds.count) bounds, \(inference.references.count) shared references, \(inference.returns.count) return ownerships, \(inference.findings.count) findings; \(overrides.entries.count) overrides"
    )
    print("wrote \(notes.path) and \(report.path)")
} catch let error as ClangError {
    fail("safe-ffi-annotate: \(error)", status: 1)
} catch {
    fail("safe-ffi-annotate: cannot write to \(output): \(error)", status: 1)
}
