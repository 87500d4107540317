// Writes API notes for a C library from its headers, read by Clang, and a report of what
// still needs SafeFFI. See docs/ANNOTATE.md.

import Foundation
import SafeFFIAnnotate

let usage = """
    usage: safe-ffi-annotate --module-map FILE [--module NAME] [options] [-- CLANG-ARGUMENTS]
           safe-ffi-annotate --module NAME --header HEADER [--header HEADER ...] [options]
                             [-- CLANG-ARGUMENTS]
      --module-map FILE  annotate the module this module map declares: its headers and the
                         headers they include that the C library does not provide
      --module NAME      the Clang module the notes are for (the file is NAME.apinotes);
                         with --module-map, the map's module unless given
      --header HEADER    a header to annotate, as #include <HEADER> names it, or a path;
                         with --module-map, only these of the module's headers
    options:
      --output DIRECTORY where NAME.apinotes and NAME-annotations.md go (default: .)
      --overrides FILE   API notes entries that replace the inferred ones of the same
                         name (Omit: true drops one); see docs/ANNOTATE.md
      --check            write nothing; fail when DIRECTORY/NAME.apinotes differs from
                         what would be written
      --clang PATH       the Clang to read the headers with (default: clang on the PATH,
                         which is the one beside swift)
      -- ARGUMENTS       passed to Clang (-I, -D)

    """

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
}

var module: String?
var moduleMap: String?
var headers: [String] = []
var output = "."
var clang = "clang"
var overridesPath: String?
var check = false
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
    case "--check":
        check = true
    case "--module", "--module-map", "--header", "--output", "--clang", "--overrides":
        guard let value = arguments.popFirst(), !value.isEmpty else {
            fail("safe-ffi-annotate: \(argument) needs a value\n\(usage)", status: 2)
        }
        switch argument {
        case "--module": module = value
        case "--module-map": moduleMap = value
        case "--header": headers.append(value)
        case "--output": output = value
        case "--overrides": overridesPath = value
        default: clang = value
        }
    default:
        fail("safe-ffi-annotate: unknown argument \(argument)\n\(usage)", status: 2)
    }
}

/// The headers to read (paths or include names) and the names the notes give them.
var annotated: [(path: String, name: String)] = headers.map { ($0, $0) }
/// What the translation unit includes: the module map's own headers, which include the rest.
var includes: [String]?
if let moduleMap {
    let found: ModuleMapHeaders
    do {
        found = try ClangInvocation.moduleHeaders(moduleMap: moduleMap, clang: clang, arguments: clangArguments)
    } catch {
        fail("safe-ffi-annotate: \(error)", status: 1)
    }
    if let module, module != found.module {
        fail(
            "safe-ffi-annotate: \(moduleMap) declares the module \(found.module), not \(module): Clang reads \(found.module).apinotes",
            status: 2)
    }
    module = found.module
    var selected = found.headers
    if !headers.isEmpty {
        selected = found.headers.filter { header in headers.contains { $0 == header.name || $0 == header.path } }
        let unknown = headers.filter { name in !found.headers.contains { $0.name == name || $0.path == name } }
        guard unknown.isEmpty else {
            fail(
                "safe-ffi-annotate: not a header of the module \(found.module): \(unknown.joined(separator: ", ")); its headers are \(found.headers.map(\.name).joined(separator: ", "))",
                status: 2)
        }
    }
    annotated = selected.map { ($0.path, $0.name) }
    includes = found.headers.filter(\.isInModuleMap).map(\.path)
}
guard let module, module.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !module.isEmpty else {
    fail("safe-ffi-annotate: --module needs a Clang module name (letters, digits, _)\n\(usage)", status: 2)
}
guard !annotated.isEmpty else {
    fail("safe-ffi-annotate: at least one --header or a --module-map is needed\n\(usage)", status: 2)
}

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

let declarations: CHeaderSet
do {
    declarations = try ClangInvocation(
        clang: clang, headers: annotated.map(\.path), includes: includes, arguments: clangArguments
    )
    .read()
} catch {
    fail("safe-ffi-annotate: \(error)", status: 1)
}
let inference = Inference(declarations)
let names = annotated.map(\.name)
let notesText = inference.apiNotes(module: module, headers: names, overrides: overrides)
let directory = URL(fileURLWithPath: output)
let notes = directory.appending(path: "\(module).apinotes")
let summary =
    "\(declarations.functions.count) functions in \(names.count) headers: \(inference.bounds.count) bounds, \(inference.references.count) shared references, \(inference.returns.count) return ownerships, \(inference.findings.count) findings; \(overrides.entries.count) overrides"

if check {
    let existing = (try? String(contentsOf: notes, encoding: .utf8)) ?? ""
    guard existing != notesText else {
        print("\(summary)\n\(notes.path) is up to date")
        exit(0)
    }
    let old = existing.split(separator: "\n", omittingEmptySubsequences: false)
    let new = notesText.split(separator: "\n", omittingEmptySubsequences: false)
    let line = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
    let was = line < old.count ? String(old[line]) : "(end of file)"
    let now = line < new.count ? String(new[line]) : "(end of file)"
    fail(
        "safe-ffi-annotate: \(notes.path) is not what the headers and overrides give; first difference at line \(line + 1):\n  file:      \(was)\n  generated: \(now)\nrun without --check to write it",
        status: 1)
}

do {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let report = directory.appending(path: "\(module)-annotations.md")
    try Data(notesText.utf8).write(to: notes)
    try Data(inference.report(module: module, headers: names, functionCount: declarations.functions.count).utf8)
        .write(to: report)
    print(summary)
    print("wrote \(notes.path) and \(report.path)")
} catch {
    fail("safe-ffi-annotate: cannot write to \(output): \(error)", status: 1)
}
