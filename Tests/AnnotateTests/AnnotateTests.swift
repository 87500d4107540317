import Foundation
import SafeFFIAnnotate
import TestSupport
import Testing

@Suite("safe-ffi-annotate: reading C types")
struct CTypeTests {
    @Test("pointers, their pointees and const")
    func pointers() {
        #expect(CType("const Bytef *").pointerDepth == 1)
        #expect(CType("const Bytef *").pointee == CType("const Bytef"))
        #expect(CType("const Bytef *").isConstQualified)
        #expect(!CType("char *const").isConstQualified)
        #expect(CType("char **").pointerDepth == 2)
        #expect(CType("uLong").pointerDepth == 0)
        #expect(CType("uLong").pointee == nil)
    }

    @Test("function pointers and their parameters")
    func functionPointers() {
        let destructor = CType("void (*)(void *)")
        #expect(destructor.isFunctionPointer)
        #expect(destructor.functionPointerParameters == [CType("void *")])
        let visit = CType("int (*)(void *, int, char **, char **)")
        #expect(
            visit.functionPointerParameters == [CType("void *"), CType("int"), CType("char * *"), CType("char * *")])
        #expect(CType("void (*)(void)").functionPointerParameters == [])
        #expect(!CType("const char *").isFunctionPointer)
    }

    @Test("typedefs are seen through, and a tag named like its typedef is not replaced again")
    func typedefs() {
        var headers = CHeaderSet()
        headers.typedefs = [
            "sqlite3_stmt": CType("struct sqlite3_stmt"), "Bytef": CType("Byte"), "Byte": CType("unsigned char"),
            "voidp": CType("void *"), "uInt": CType("unsigned int"),
        ]
        #expect(headers.resolved(CType("sqlite3_stmt *")) == CType("struct sqlite3_stmt *"))
        #expect(headers.pointeeTag(of: CType("sqlite3_stmt *")) == "sqlite3_stmt")
        #expect(headers.isCharacterPointer(CType("const Bytef *")))
        #expect(!headers.isTextPointer(CType("const Bytef *")))
        #expect(headers.isVoidPointer(CType("voidp")))
        #expect(headers.isInteger(CType("uInt")))
        #expect(!headers.isInteger(CType("uInt *")))
    }
}

@Suite("safe-ffi-annotate: the rules, on a fixture header")
struct InferenceTests {
    static let fixture = PackagePaths.root.appending(path: "Tests/AnnotateTests/Fixtures/annotate_fixture.h").path

    static func inference() throws -> Inference {
        Inference(try ClangInvocation(headers: [fixture]).read())
    }

    @Test("bounds: exactly these, with their kinds, counts and NoEscape")
    func bounds() throws {
        let found = try Self.inference().bounds.map {
            "\($0.function) \($0.position) \($0.kind.rawValue) \($0.count) \($0.noEscape)"
        }
        #expect(
            found.sorted() == [
                "fixture_apply 2 sized_by nChangeset true",
                "fixture_bsearch 1 sized_by nmemb * size true",
                "fixture_checksum 0 counted_by len true",
                "fixture_cipher 2 counted_by inl true",
                "fixture_convert 1 sized_by src_pitch * height true",
                "fixture_convert 3 sized_by dst_pitch * height true",
                "fixture_draw 0 counted_by num_vertices true",
                "fixture_draw 2 counted_by num_indices true",
                "fixture_dump_cb 2 sized_by len true",
                "fixture_error_message 0 counted_by maxlen true",
                "fixture_fill 0 sized_by size true",
                "fixture_format_into 0 counted_by n true",
                "fixture_get_param 1 counted_by max_buf_sz true",
                "fixture_image_from_pixels 0 sized_by pitch * height false",
                "fixture_iter_start 2 sized_by nData false",
                "fixture_memcpy 0 sized_by n true",
                "fixture_memcpy 1 sized_by n true",
                "fixture_merge 1 counted_by count true",
                "fixture_patch_from_buffer 1 sized_by buffer_len false",
                "fixture_random 1 sized_by N true",
                "fixture_read_values 1 counted_by nvalues true",
                "fixture_send 1 sized_by __n true",
                "fixture_set_colors 1 counted_by ncolors true",
                "fixture_set_dictionary 0 counted_by dictLength true",
                "fixture_sort 0 sized_by nmemb * size true",
                "fixture_store 0 sized_by n false",
                "fixture_stream_from_mem 0 sized_by size false",
                "fixture_strlcpy 0 counted_by size true",
                "fixture_sum_points 1 counted_by count true",
                "fixture_verify 0 counted_by siglen true",
                "fixture_verify 2 sized_by dsize true",
                "fixture_write_items 0 sized_by size * nitems true",
            ])
    }

    @Test("shared references and the ownership of what returns them")
    func references() throws {
        let inference = try Self.inference()
        #expect(
            inference.references.map { "\($0.tag) \($0.retain) \($0.release)" } == [
                "fixture_key_st FIXTURE_KEY_up_ref FIXTURE_KEY_free"
            ])
        #expect(
            inference.returns.map { "\($0.function) \($0.ownership.rawValue)" }.sorted() == [
                "FIXTURE_KEY_dup retained", "FIXTURE_KEY_fetch retained", "FIXTURE_KEY_new retained",
                "fixture_db_get0_key unretained", "fixture_db_key unretained", "fixture_get0_default_key unretained",
                "fixture_key_next unretained", "fixture_read_key retained",
            ])
        #expect(inference.findings.filter { $0.kind == .ownershipUndecided }.map(\.subject) == ["fixture_db_get_key"])
        let evidence = Dictionary(uniqueKeysWithValues: inference.returns.map { ($0.function, $0.evidence) })
        #expect(evidence["fixture_db_key"] == "returns const FIXTURE_KEY *; a const result is a borrowed one")
        #expect(evidence["fixture_db_get0_key"] == "returns const FIXTURE_KEY *; its name says a borrowed one")
    }

    @Test("what API notes cannot say is reported, each with the SafeFFI piece to use")
    func findings() throws {
        let found = try Self.inference().findings.map { "\($0.kind.rawValue): \($0.subject)" }.sorted()
        #expect(
            found == [
                // bsearch passes its key to the comparison: a context in all but name.
                "a callback with a void * context: fixture_bsearch",
                "a callback with a void * context: fixture_dump_cb",
                "a callback with a void * context: fixture_each",
                "a char * field: struct fixture_record",
                "a function-like macro: fixture_checksum_of",
                "a length behind a pointer: fixture_cipher",
                "a length behind a pointer: fixture_copy_out",
                "a length that may count bytes or elements: fixture_counts",
                "a length that may count bytes or elements: fixture_id_ncmp",
                "a returned reference of undecided ownership: fixture_db_get_key",
                "a union holding pointers: union fixture_value",
                "a variadic function: fixture_log",
                "returned memory the caller frees: fixture_describe",
                "single-owner handle: fixture_db",
            ])
        let inference = try Self.inference()
        #expect(
            inference.findings.first { $0.kind == .variadic }?.advice
                == "Swift does not import C variadic functions: call fixture_vlog with withVaList")
        #expect(
            inference.findings.first { $0.kind == .callerFrees }?.advice
                == "the caller frees the result: SafeFFI's OwnedCString(adopting:free: fixture_free)")
        #expect(
            inference.findings.first { $0.kind == .singleOwnerHandle }?.advice
                == "one owner, freed once: SafeFFI's OwnedHandle(adopting:free: fixture_db_close)")
    }

    @Test("the API notes: each entry after its evidence")
    func notes() throws {
        let notes = try Self.inference().apiNotes(module: "CFixture", headers: ["annotate_fixture.h"])
        #expect(notes.contains("Name: CFixture\nTags:\n"))
        #expect(
            notes.contains(
                "- Name: fixture_key_st\n  SwiftImportAs: reference\n  SwiftRetainOp: FIXTURE_KEY_up_ref\n  SwiftReleaseOp: FIXTURE_KEY_free\n"
            ))
        #expect(
            notes.contains(
                "- Name: fixture_checksum\n  Parameters:\n  - Position: 0\n    BoundsSafety: {Kind: counted_by, BoundedBy: len, Level: 0}\n    NoEscape: true\n"
            ))
        #expect(notes.contains("BoundsSafety: {Kind: sized_by, BoundedBy: \"size * nitems\", Level: 0}"))
        #expect(
            notes.contains(
                "- Name: fixture_store\n  Parameters:\n  - Position: 0\n    BoundsSafety: {Kind: sized_by, BoundedBy: n, Level: 0}\n# fixture_stream_from_mem:"
            ))
        #expect(notes.contains("- Name: FIXTURE_KEY_new\n  SwiftReturnOwnership: retained\n"))
    }

    @Test("a header Clang cannot read is a typed error with Clang's own words")
    func unreadable() {
        #expect {
            _ = try ClangInvocation(headers: ["no-such-header-for-safe-ffi.h"]).read()
        } throws: { error in
            guard let error = error as? AnnotateError, error.kind == .clang else { return false }
            return error.message.contains("'no-such-header-for-safe-ffi.h' file not found")
        }
    }
}

@Suite("safe-ffi-annotate: generated notes for real libraries compile and run", .serialized)
struct GeneratedNotesTests {
    /// Runs the annotator on `headers` into a new module directory with its module map.
    static func module(
        _ name: String, headers: [String], link: String, throughModuleMap: Bool = false, overrides: String? = nil,
        clangArguments: [String] = []
    ) throws -> TemporaryModule {
        let module = try TemporaryModule(name: name, headers: headers, link: link)
        var arguments = ["--module", name, "--output", module.directory.path]
        // The module map brings in what an umbrella header (git2.h, SDL.h) includes.
        arguments +=
            throughModuleMap
            ? ["--module-map", module.directory.appending(path: "module.modulemap").path]
            : headers.flatMap { ["--header", $0] }
        if let overrides {
            let file = module.directory.appending(path: "\(name).overrides.yaml")
            try Data(overrides.utf8).write(to: file)
            arguments += ["--overrides", file.path]
        }
        if !clangArguments.isEmpty { arguments += ["--"] + clangArguments }
        let result = try runChildProcess(
            PackagePaths.build.appending(path: "safe-ffi-annotate"), arguments, mergeError: true)
        #expect(result.status == 0, "\(result.error)")
        return module
    }

    /// Compiles `source` as a client with strict memory safety and warnings as errors, runs it
    /// and returns what it printed. `objects` are linked in.
    static func run(_ source: String, with module: TemporaryModule, objects: [String] = []) throws -> String {
        #expect(!source.contains("unsafe"), "the client must not need unsafe")
        let file = module.directory.appending(path: "client.swift")
        try Data(source.utf8).write(to: file)
        let program = module.directory.appending(path: "client")
        let build = try runChildProcess(
            URL(filePath: "/usr/bin/env"),
            [
                "swiftc", "-swift-version", "6", "-strict-memory-safety", "-warnings-as-errors",
                "-enable-experimental-feature", "SafeInteropWrappers", "-I", module.directory.path, file.path, "-o",
                program.path,
            ] + objects, mergeError: true)
        try #require(build.status == 0, "client.swift: \(build.error)")
        let result = try runChildProcess(program, [], mergeError: false)
        #expect(result.status == 0, "\(result.error)")
        return result.outputText
    }

    @Test("zlib: crc32, adler32 and crc32_z take Spans")
    func zlib() throws {
        let module = try Self.module("CZlibGenerated", headers: ["zlib.h"], link: "z")
        let output = try Self.run(
            """
            import CZlibGenerated
            func main() {
                let bytes: [UInt8] = Array("abc".utf8)
                print(String(crc32(0, bytes.span), radix: 16), String(adler32(1, bytes.span), radix: 16), String(crc32_z(0, bytes.span), radix: 16))
            }
            main()
            """, with: module)
        #expect(output == "352441c2 24d0127 352441c2\n")
    }

    @Test(
        "OpenSSL: RAND_bytes fills a MutableSpan; EVP_PKEY is a Swift class, no wrapper",
        .enabled(if: FileManager.default.fileExists(atPath: "/usr/include/openssl/evp.h"), "needs libssl-dev"))
    func openssl() throws {
        let module = try Self.module(
            "COpenSSLGenerated", headers: ["openssl/evp.h", "openssl/rand.h", "openssl/x509.h"], link: "crypto")
        let output = try Self.run(
            """
            import COpenSSLGenerated
            func main() {
                var random = [UInt8](repeating: 0, count: 64)
                var span = random.mutableSpan
                let status = RAND_bytes(&span)
                let key: EVP_PKEY? = EVP_PKEY_new()
                print(status, key != nil, Set(random).count > 8)
            }
            main()
            """, with: module)
        #expect(output == "1 true true\n")
    }
}

extension GeneratedNotesTests {
    @Test(
        "libgit2: a blob's id from a RawSpan (git_odb_hash, its out-parameter bounded to one git_oid by an override)",
        .enabled(if: FileManager.default.fileExists(atPath: "/usr/include/git2.h"), "needs libgit2-dev"))
    func libgit2() throws {
        let module = try Self.module(
            "CGit2Generated", headers: ["git2.h"], link: "git2", throughModuleMap: true,
            overrides: """
                Functions:
                - Name: git_odb_hash
                  Parameters:
                  - Position: 0
                    BoundsSafety: {Kind: counted_by, BoundedBy: "1", Level: 0}
                    NoEscape: true
                  - Position: 1
                    BoundsSafety: {Kind: sized_by, BoundedBy: len, Level: 0}
                    NoEscape: true
                """)
        let output = try Self.run(
            """
            import CGit2Generated
            func main() {
                let content: [UInt8] = Array("hello\\n".utf8)
                let text = content.map { CChar(bitPattern: $0) }
                let binary: [CChar] = [0x50, 0, 0x4b]
                var ids = [git_oid()]
                var out = ids.mutableSpan
                let status = git_odb_hash(&out, RawSpan(_elements: content.span), GIT_OBJECT_BLOB)
                let hex = Mirror(reflecting: ids[0].id).children.map { child -> String in
                    let byte = child.value as? UInt8 ?? 0
                    return (byte < 16 ? "0" : "") + String(byte, radix: 16)
                }
                print(status, hex.joined(), git_blob_data_is_binary(text.span), git_blob_data_is_binary(binary.span))
            }
            main()
            """, with: module)
        // `git hash-object` of "hello\n".
        #expect(output == "0 ce013625030ba8dba906f756967f9e9ca394464a 0 1\n")
    }

    @Test(
        "SDL2: SDL_crc32 and SDL_memcmp (two buffers, one length) take Spans",
        .enabled(if: FileManager.default.fileExists(atPath: "/usr/include/SDL2/SDL.h"), "needs libsdl2-dev"))
    func sdl2() throws {
        let module = try Self.module(
            "CSDL2Generated", headers: ["SDL2/SDL.h"], link: "SDL2", throughModuleMap: true,
            // SDL's own switch: without the compiler's intrinsics the AST is a quarter of the size.
            clangArguments: ["-DSDL_DISABLE_IMMINTRIN_H"])
        let output = try Self.run(
            """
            import CSDL2Generated
            func main() {
                let bytes: [UInt8] = Array("abc".utf8)
                let other: [UInt8] = Array("abd".utf8)
                print(
                    String(SDL_crc32(0, RawSpan(_elements: bytes.span)), radix: 16),
                    // memcmp promises a sign, not a value.
                    SDL_memcmp(RawSpan(_elements: bytes.span), RawSpan(_elements: other.span)).signum(),
                    SDL_memcmp(RawSpan(_elements: bytes.span), RawSpan(_elements: bytes.span)))
            }
            main()
            """, with: module)
        #expect(output == "352441c2 -1 0\n")
    }

    @Test("a shared reference type from the notes is released exactly once: retained, unretained and dup'ed keys")
    func releasedOnce() throws {
        let fixtures = PackagePaths.root.appending(path: "Tests/AnnotateTests/Fixtures")
        let module = try TemporaryModule(
            name: "CFixtureGenerated", headers: [fixtures.appending(path: "annotate_fixture.h").path], link: nil)
        // Through the module map, as the command plugin runs it.
        let annotate = try runChildProcess(
            PackagePaths.build.appending(path: "safe-ffi-annotate"),
            [
                "--module-map", module.directory.appending(path: "module.modulemap").path, "--output",
                module.directory.path,
            ],
            mergeError: true)
        try #require(annotate.status == 0, "\(annotate.error)")
        let object = module.directory.appending(path: "annotate_fixture.o").path
        let compile = try runChildProcess(
            URL(filePath: "/usr/bin/env"),
            ["clang", "-c", fixtures.appending(path: "annotate_fixture.c").path, "-o", object],
            mergeError: true)
        try #require(compile.status == 0, "\(compile.error)")
        let output = try Self.run(
            """
            import CFixtureGenerated
            func keys() {
                let made: FIXTURE_KEY? = FIXTURE_KEY_new()
                let copy = made.map { FIXTURE_KEY_dup($0) }
                let peeked = fixture_get0_default_key()
                let again = fixture_get0_default_key()
                print(fixture_key_live(), copy != nil, peeked != nil && again != nil)
            }
            func main() {
                keys()
                print(fixture_key_live())
                fixture_release_default_key()
                print(fixture_key_live())
            }
            main()
            """, with: module, objects: [object])
        // new and dup (+1, released by Swift), get0 (+0, retained and released by Swift): only
        // the library's own key outlives the function, until the library releases it.
        #expect(output == "3 true true\n1\n0\n")
    }
}

/// A directory holding a module map over system headers, removed when the test ends.
final class TemporaryModule {
    let directory: URL

    /// `headers` are include names under /usr/include, or paths; `link` a library to link.
    init(name: String, headers: [String], link: String?) throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "annotate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let lines = headers.map { "  header \"\($0.hasPrefix("/") ? $0 : "/usr/include/" + $0)\"" }
        let map =
            "module \(name) [system] {\n\((lines + (link.map { ["  link \"\($0)\""] } ?? [])).joined(separator: "\n"))\n  export *\n}\n"
        try Data(map.utf8).write(to: directory.appending(path: "module.modulemap"))
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}
