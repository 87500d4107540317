// Which headers a Clang module is made of: the headers its module map names, and the
// headers they include that no other module owns. That is the set Swift imports from the
// module, so it is the set the annotator writes notes for.

import Foundation

/// A header of a module: its path, as Clang resolved it, and the name a reader knows it by
/// (`sqlite3.h`, `git2/blob.h`, or the module map's own spelling of a shim header).
public struct ModuleHeader: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let name: String
    /// Whether the module map names it (else one of those includes it).
    public let isInModuleMap: Bool

    public init(path: String, name: String, isInModuleMap: Bool) {
        self.path = path
        self.name = name
        self.isInModuleMap = isInModuleMap
    }

    public var description: String { name }
}

/// A module map's module and the headers Swift imports through it.
public struct ModuleMapHeaders: Sendable, Equatable {
    /// The first top-level module the map declares.
    public let module: String
    /// The map's own headers first, then each header they include, in the order Clang
    /// first entered it.
    public let headers: [ModuleHeader]
}

extension ClangInvocation {
    /// The headers of the module that the module map at `path` declares: the headers it names
    /// (`header`, `umbrella header`, `private header`, `textual header`; not `exclude header`),
    /// and every header they include, at any depth, that the C library and the compiler do
    /// not provide. Those belong to their own modules (Glibc's, the compiler's), and notes
    /// from this module cannot change them.
    ///
    /// Headers are found by Clang's preprocessor, with `arguments` (`-I`, `-D`) and the
    /// `clang` executable given.
    public static func moduleHeaders(
        moduleMap path: String, clang: String = "clang", arguments: [String] = []
    ) throws -> ModuleMapHeaders {
        let map = URL(fileURLWithPath: path).standardizedFileURL
        let text: String
        do {
            text = try String(contentsOf: map, encoding: .utf8)
        } catch {
            throw AnnotateError(
                .moduleMap, message: "cannot read the module map \(path): \(error.localizedDescription)")
        }
        let declared = try ModuleMapParser(text, file: path).parse()
        let directory = map.deletingLastPathComponent()
        let own = declared.headers.map { header in
            ModuleHeader(
                path: header.hasPrefix("/") ? header : directory.appending(path: header).standardizedFileURL.path,
                name: header, isInModuleMap: true)
        }
        for header in own where !FileManager.default.fileExists(atPath: header.path) {
            throw AnnotateError(
                .moduleMap, message: "\(path): the header \(header.name) does not exist (\(header.path))")
        }
        let invocation = ClangInvocation(clang: clang, headers: own.map(\.path), arguments: arguments)
        let entered = try invocation.enteredFiles(of: invocation.source)
        // What a program that includes only the C library's headers enters is not this module's,
        // nor is any header of the compiler's own (intrinsics, stddef.h).
        let provided = Set(try invocation.enteredFiles(of: Self.systemHeadersProbe))
        let compilerHeaders = try invocation.resourceDirectory() + "/include/"
        let searchPaths = try invocation.includeSearchPaths()
        var headers = own
        for file in entered
        where !provided.contains(file) && !file.hasPrefix(compilerHeaders)
            && !headers.contains(where: { $0.path == file })
        {
            headers.append(
                ModuleHeader(
                    path: file, name: Self.name(of: file, searchPaths: searchPaths, near: directory),
                    isInModuleMap: false))
        }
        return ModuleMapHeaders(module: declared.module, headers: headers)
    }

    /// The C source that includes the headers.
    var source: String {
        includes.map { $0.hasPrefix("/") ? "#include \"\($0)\"" : "#include <\($0)>" }.joined(separator: "\n") + "\n"
    }

    /// Every file the preprocessor enters while reading `source`, in the order it first does,
    /// read from its line markers (`# 1 "/usr/include/zlib.h" 1`).
    func enteredFiles(of source: String) throws(AnnotateError) -> [String] {
        let output = String(decoding: try run(["-x", "c", "-E"] + arguments, source).output, as: UTF8.self)
        var seen = Set<String>()
        var files: [String] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix("# ") {
            guard let file = Self.lineMarkerFile(line), !file.hasPrefix("<"), seen.insert(file).inserted else {
                continue
            }
            files.append(file)
        }
        return files
    }

    /// The file a line marker names: the text between its first quote and the next quote
    /// that no backslash escapes.
    static func lineMarkerFile(_ line: Substring) -> String? {
        guard let open = line.firstIndex(of: "\"") else { return nil }
        var file = ""
        var escaped = false
        for character in line[line.index(after: open)...] {
            if escaped {
                file.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return file
            } else {
                file.append(character)
            }
        }
        return nil
    }

    /// The directory of the compiler's own headers and libraries (`-print-resource-dir`).
    func resourceDirectory() throws(AnnotateError) -> String {
        let output = String(decoding: try run(["-print-resource-dir", "-x", "c"], "").output, as: UTF8.self)
        return URL(fileURLWithPath: output.trimmingCharacters(in: .whitespacesAndNewlines)).standardizedFileURL.path
    }

    /// The directories `#include <…>` searches, in order, as Clang's `-v` lists them.
    func includeSearchPaths() throws(AnnotateError) -> [String] {
        let diagnostics = try run(["-x", "c", "-E", "-v"] + arguments, "", wantsDiagnostics: true).diagnostics
        var paths: [String] = []
        var listing = false
        for line in diagnostics.split(separator: "\n") {
            if line.hasPrefix("#include <...> search starts here:")
                || line.hasPrefix("#include \"...\" search starts here:")
            {
                listing = true
            } else if line.hasPrefix("End of search list.") {
                listing = false
            } else if listing, line.hasPrefix(" ") {
                paths.append(URL(fileURLWithPath: String(line.dropFirst())).standardizedFileURL.path)
            }
        }
        return paths
    }

    /// `/usr/include/git2/blob.h` → `git2/blob.h`: the path after the longest search directory
    /// holding it, else after the module map's directory, else the whole path.
    static func name(of file: String, searchPaths: [String], near directory: URL) -> String {
        let bases = searchPaths + [directory.standardizedFileURL.path]
        let base = bases.filter { file.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }.max { $0.count < $1.count }
        guard let base else { return file }
        return String(file.dropFirst(base.hasSuffix("/") ? base.count : base.count + 1))
    }

    /// The headers of C11 and of POSIX that a library's headers include, each only where it exists.
    static let systemHeadersProbe =
        [
            "assert.h", "complex.h", "ctype.h", "errno.h", "fenv.h", "float.h", "inttypes.h", "iso646.h", "limits.h",
            "locale.h", "math.h", "setjmp.h", "signal.h", "stdalign.h", "stdarg.h", "stdatomic.h", "stdbool.h",
            "stddef.h", "stdint.h", "stdio.h", "stdlib.h", "stdnoreturn.h", "string.h", "strings.h", "tgmath.h",
            "threads.h", "time.h", "uchar.h", "wchar.h", "wctype.h", "alloca.h", "arpa/inet.h", "dirent.h",
            "dlfcn.h", "fcntl.h", "netdb.h", "netinet/in.h", "poll.h", "pthread.h", "sched.h", "semaphore.h",
            "sys/mman.h", "sys/select.h", "sys/socket.h", "sys/stat.h", "sys/time.h", "sys/types.h", "sys/uio.h",
            "sys/wait.h", "termios.h", "unistd.h", "endian.h", "iconv.h", "syslog.h",
        ]
        .map { "#if __has_include(<\($0)>)\n#include <\($0)>\n#endif" }.joined(separator: "\n") + "\n"
}

/// Reads the module map language as far as the annotator needs: the first module's name and
/// every header any of its modules names. Comments, attributes (`[system]`) and the other
/// declarations (`link`, `export`, `requires`, `use`, …) are skipped.
struct ModuleMapParser {
    enum Token: Equatable {
        case word(String)
        case string(String)
        case punctuation(Character)
    }

    private let tokens: [Token]
    private let file: String

    init(_ text: String, file: String) throws {
        self.file = file
        tokens = try Self.tokenize(text, file: file)
    }

    func parse() throws -> (module: String, headers: [String]) {
        var module: String?
        var headers: [String] = []
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard case .word(let word) = tokens[index] else { continue }
            switch word {
            case "module" where module == nil:
                var next = index + 1
                while next < tokens.count, case .word(let name) = tokens[next], name == "*" { next += 1 }
                if next < tokens.count, case .word(let name) = tokens[next] { module = name }
            case "header":
                guard index + 1 < tokens.count, case .string(let header) = tokens[index + 1] else {
                    throw AnnotateError(.moduleMap, message: "\(file): a header declaration needs a quoted file name")
                }
                if index > 0, tokens[index - 1] == .word("exclude") { continue }
                headers.append(header)
            case "umbrella":
                // `umbrella "directory"`: every header below it. `umbrella header "…"` is a header.
                if index + 1 < tokens.count, case .string(let directory) = tokens[index + 1] {
                    throw AnnotateError(
                        .moduleMap,
                        message:
                            "\(file): an umbrella directory (\(directory)) is not read; name its headers with `header`, or pass --header"
                    )
                }
            default:
                break
            }
        }
        guard let module else { throw AnnotateError(.moduleMap, message: "\(file): no module is declared") }
        guard !headers.isEmpty else {
            throw AnnotateError(.moduleMap, message: "\(file): the module \(module) names no header")
        }
        return (module, headers)
    }

    private static func tokenize(_ text: String, file: String) throws -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        func isWordCharacter(_ character: Character) -> Bool {
            character.isLetter || character.isNumber || character == "_" || character == "."
        }
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if character == "/", index + 1 < characters.count, characters[index + 1] == "/" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
            } else if character == "/", index + 1 < characters.count, characters[index + 1] == "*" {
                index += 2
                while index + 1 < characters.count, !(characters[index] == "*" && characters[index + 1] == "/") {
                    index += 1
                }
                guard index + 1 < characters.count else {
                    throw AnnotateError(.moduleMap, message: "\(file): a comment is not closed")
                }
                index += 2
            } else if character == "\"" {
                var value = ""
                index += 1
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    value.append(characters[index])
                    index += 1
                }
                guard index < characters.count else {
                    throw AnnotateError(.moduleMap, message: "\(file): a string is not closed")
                }
                index += 1
                tokens.append(.string(value))
            } else if isWordCharacter(character) || character == "*" {
                var word = String(character)
                index += 1
                if character != "*" {
                    while index < characters.count, isWordCharacter(characters[index]) {
                        word.append(characters[index])
                        index += 1
                    }
                }
                tokens.append(.word(word))
            } else {
                tokens.append(.punctuation(character))
                index += 1
            }
        }
        return tokens
    }
}
