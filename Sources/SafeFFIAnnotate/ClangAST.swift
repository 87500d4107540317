// Reads headers with Clang itself: its JSON AST (`-ast-dump=json`) for declarations and
// its preprocessor (`-E -dD`) for function-like macros. The Clang that ships beside
// `swift` is the one Swift's importer uses, so the tool sees the headers as Swift will.

import Foundation

/// How to run Clang over a set of headers.
public struct ClangInvocation: Sendable {
    /// The Clang executable (default: `clang` beside `swift` on the PATH).
    public var clang: String
    /// The headers, as `#include <…>` names (`zlib.h`, `openssl/evp.h`) or paths.
    public var headers: [String]
    /// The headers the translation unit includes: `headers` unless told (a module map's own
    /// headers, which include the rest of `headers` themselves, each once).
    public var includes: [String]
    /// Extra arguments: `-I`, `-D`.
    public var arguments: [String]

    public init(clang: String = "clang", headers: [String], includes: [String]? = nil, arguments: [String] = []) {
        self.clang = clang
        self.headers = headers
        self.includes = includes ?? headers
        self.arguments = arguments
    }

    /// The headers' declarations, and every typedef of the translation unit.
    public func read() throws(AnnotateError) -> CHeaderSet {
        let ast = try run(["-x", "c", "-fsyntax-only", "-Xclang", "-ast-dump=json"] + arguments, source).output
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: ast)
        } catch {
            throw AnnotateError(.clang, message: "Clang's AST is not JSON: \(error)")
        }
        guard let root = parsed as? [String: Any] else {
            throw AnnotateError(.clang, message: "Clang's AST has no translation unit")
        }
        var reader = ASTReader(isTarget: isTarget)
        reader.visit(root, depth: 0)
        var set = reader.set
        let preprocessed = try run(["-x", "c", "-E", "-dD"] + arguments, source).output
        set.macros = Self.functionLikeMacros(String(decoding: preprocessed, as: UTF8.self), isTarget: isTarget)
        return set
    }

    /// Whether `file` is one of the headers asked for.
    func isTarget(_ file: String) -> Bool {
        headers.contains { header in file == header || file.hasSuffix("/" + header) }
    }

    /// Runs Clang with `arguments`, reading the C source from its standard input; returns
    /// what it wrote to its standard output, and its diagnostics.
    func run(_ arguments: [String], _ source: String, wantsDiagnostics: Bool = false) throws(AnnotateError) -> (
        output: Data, diagnostics: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [clang] + arguments + ["-"]
        let input = Pipe()
        let output = Pipe()
        // Clang's diagnostics go to a file: read after the AST, a pipe could fill and stall it.
        let errorsURL = FileManager.default.temporaryDirectory.appending(path: "safe-ffi-annotate-\(UUID()).txt")
        _ = FileManager.default.createFile(atPath: errorsURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorsURL) }
        process.standardInput = input
        process.standardOutput = output
        do {
            process.standardError = try FileHandle(forWritingTo: errorsURL)
            try process.run()
        } catch {
            throw AnnotateError(.clang, message: "cannot run \(clang): \(error)")
        }
        input.fileHandleForWriting.write(Data(source.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // Read through a FileHandle, and only when needed: String(contentsOf:) leaks its
        // buffer in this Foundation (LeakSanitizer, 4,096 bytes a call).
        func diagnostics() -> String {
            guard let handle = try? FileHandle(forReadingFrom: errorsURL) else { return "" }
            defer { try? handle.close() }
            return (try? handle.readToEnd()).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        guard process.terminationStatus == 0 else {
            let text = diagnostics()
            throw AnnotateError(
                .clang,
                message:
                    "\(clang) failed (exit \(process.terminationStatus)) on \(headers.joined(separator: ", ")):\n\(text)"
            )
        }
        return (data, wantsDiagnostics ? diagnostics() : "")
    }

    /// The function-like macros the preprocessor defines in the target headers, read from
    /// `-E -dD` output: its line markers (`# 1 "/usr/include/zlib.h" 1`) say which file
    /// each `#define` is in.
    static func functionLikeMacros(_ output: String, isTarget: (String) -> Bool) -> [CMacro] {
        var file = ""
        var macros: [CMacro] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# "), let open = line.firstIndex(of: "\""),
                let close = line[line.index(after: open)...].firstIndex(of: "\"")
            {
                file = String(line[line.index(after: open)..<close])
                continue
            }
            guard isTarget(file), line.hasPrefix("#define ") else { continue }
            let definition = line.dropFirst("#define ".count)
            // A function-like macro has "(" right after its name, with no space.
            guard let open = definition.firstIndex(where: { !($0.isLetter || $0.isNumber || $0 == "_") }),
                definition[open] == "(", let close = definition[open...].firstIndex(of: ")")
            else { continue }
            let name = String(definition[..<open])
            let body = CType(String(definition[definition.index(after: close)...])).tokens
            let identifiers = body.filter { $0.first.map { $0.isLetter || $0 == "_" } ?? false }
            macros.append(CMacro(name: name, bodyIdentifiers: identifiers, file: file))
        }
        return macros
    }
}

/// Walks Clang's JSON AST in the order Clang printed it. Clang writes a location's `file`
/// only when it differs from the last one it printed, so the file of a declaration is the
/// last one seen, in print order: a node's `loc`, then its `range`, then its children.
struct ASTReader {
    let isTarget: (String) -> Bool
    var set = CHeaderSet()
    private var lastFile = ""
    /// The ids of complete records without a tag, which a typedef that follows may name.
    private var anonymousCompleteRecords: Set<String> = []

    init(isTarget: @escaping (String) -> Bool) {
        self.isTarget = isTarget
    }

    mutating func visit(_ node: [String: Any], depth: Int) {
        see(node["loc"])
        let file = lastFile
        if let range = node["range"] as? [String: Any] {
            see(range["begin"])
            see(range["end"])
        }
        if depth == 1 { record(node, file: file) }
        for child in node["inner"] as? [[String: Any]] ?? [] {
            visit(child, depth: depth + 1)
        }
    }

    /// Notes the file of a location: `{file?, …}` or `{spellingLoc, expansionLoc}`.
    private mutating func see(_ location: Any?) {
        guard let location = location as? [String: Any] else { return }
        if location["spellingLoc"] != nil || location["expansionLoc"] != nil {
            see(location["spellingLoc"])
            see(location["expansionLoc"])
        } else if let file = location["file"] as? String {
            lastFile = file
        }
    }

    private mutating func record(_ node: [String: Any], file: String) {
        let kind = node["kind"] as? String
        let name = node["name"] as? String
        switch kind {
        case "TypedefDecl":
            if let name, let type = Self.type(node) { set.typedefs[name] = type }
            // `typedef struct { … } git_tree_update;`: Clang spells the type `struct
            // git_tree_update` and the complete record it owns has no name of its own.
            if let name, let owned = (node["inner"] as? [[String: Any]])?.first?["ownedTagDecl"] as? [String: Any],
                let id = owned["id"] as? String, anonymousCompleteRecords.contains(id)
            {
                set.completeRecordTags.insert(name)
            }
        case "FunctionDecl" where isTarget(file):
            guard let name, let spelling = (node["type"] as? [String: Any])?["qualType"] as? String else { return }
            let parameters = (node["inner"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "ParmVarDecl" }
                .enumerated().map { index, parameter in
                    CParameter(
                        name: parameter["name"] as? String ?? "_\(index)", type: Self.type(parameter) ?? CType("int"))
                }
            // The return type is the spelling before the parameter list's parenthesis.
            let returnType = CType(Self.returnSpelling(of: spelling))
            guard !set.functions.contains(where: { $0.name == name }) else { return }
            set.functions.append(
                CFunction(
                    name: name, returnType: returnType, parameters: parameters,
                    isVariadic: node["variadic"] as? Bool ?? false, file: file))
        case "RecordDecl":
            guard node["completeDefinition"] as? Bool == true else { return }
            guard let name, !name.isEmpty else {
                if let id = node["id"] as? String { anonymousCompleteRecords.insert(id) }
                return
            }
            set.completeRecordTags.insert(name)
            guard isTarget(file) else { return }
            let fields = (node["inner"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "FieldDecl" }
                .map { CParameter(name: $0["name"] as? String ?? "", type: Self.type($0) ?? CType("int")) }
            set.records.append(
                CRecord(tag: name, isUnion: node["tagUsed"] as? String == "union", fields: fields, file: file))
        default:
            break
        }
    }

    private static func type(_ node: [String: Any]) -> CType? {
        ((node["type"] as? [String: Any])?["qualType"] as? String).map(CType.init)
    }

    /// `int (const char *, size_t)` → `int`; `char *(*)(int)`-returning functions keep the
    /// spelling up to the outermost parameter list.
    static func returnSpelling(of functionType: String) -> String {
        let tokens = CType(functionType).tokens
        var depth = 0
        // The parameter list is the last top-level parenthesised group.
        var index = tokens.count
        while index > 0 {
            index -= 1
            if tokens[index] == ")" { depth += 1 }
            if tokens[index] == "(" {
                depth -= 1
                if depth == 0 { break }
            }
        }
        return tokens[..<index].joined(separator: " ")
    }
}
