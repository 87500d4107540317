// Which headers a module map brings in: the annotator writes notes for exactly those.

import Foundation
import SafeFFIAnnotate
import TestSupport
import Testing

@Suite("safe-ffi-annotate: a module's headers, from its module map")
struct ModuleMapTests {
    /// A folder with `files` (name → text), removed when the test ends.
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appending(path: "annotate-map-\(UUID().uuidString)")

        init(_ files: [String: String]) throws {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for (name, text) in files { try Data(text.utf8).write(to: url.appending(path: name)) }
        }

        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static let fixture = try! String(
        contentsOf: PackagePaths.root.appending(path: "Tests/AnnotateTests/Fixtures/annotate_fixture.h"),
        encoding: .utf8)

    @Test("the map's headers, then what they include that the C library and the compiler do not provide")
    func headers() throws {
        let folder = try Folder([
            "module.modulemap": """
            // A shim over the fixture, as a system library target has.
            module CFixture [system] {
                header "fixture_shim.h" /* the shim */
                exclude header "not_this.h"
                link "fixture"
                export *
            }
            """,
            "fixture_shim.h": "#include <stdio.h>\n#include <cpuid.h>\n#include \"annotate_fixture.h\"\n",
            "annotate_fixture.h": Self.fixture,
        ])
        let found = try ClangInvocation.moduleHeaders(moduleMap: folder.url.appending(path: "module.modulemap").path)
        #expect(found.module == "CFixture")
        #expect(found.headers.map(\.name) == ["fixture_shim.h", "annotate_fixture.h"])
        #expect(found.headers.map(\.isInModuleMap) == [true, false])
        #expect(
            found.headers.map(\.path)
                == ["fixture_shim.h", "annotate_fixture.h"].map { folder.url.appending(path: $0).path })
        // Read through the shim, the declarations are the fixture's.
        let declarations = try ClangInvocation(
            headers: found.headers.map(\.path), includes: found.headers.filter(\.isInModuleMap).map(\.path)
        ).read()
        #expect(declarations.functions.contains { $0.name == "fixture_checksum" })
        #expect(!declarations.functions.contains { $0.name == "printf" })
    }

    @Test("a header under a search path is named as #include <…> names it")
    func systemHeaderNames() throws {
        let folder = try Folder([
            "module.modulemap": "module CZlibShim [system] {\n  header \"shim.h\"\n  link \"z\"\n}\n",
            "shim.h": "#include <zlib.h>\n",
        ])
        let found = try ClangInvocation.moduleHeaders(moduleMap: folder.url.appending(path: "module.modulemap").path)
        #expect(found.headers.map(\.name) == ["shim.h", "zlib.h", "zconf.h"])
        #expect(found.headers[1].path == "/usr/include/zlib.h")
    }

    @Test("module maps the annotator cannot use are typed errors that say why")
    func refused() throws {
        func message(_ map: String, files: [String: String] = [:]) throws -> String? {
            let folder = try Folder(files.merging(["module.modulemap": map]) { first, _ in first })
            do {
                _ = try ClangInvocation.moduleHeaders(moduleMap: folder.url.appending(path: "module.modulemap").path)
                return nil
            } catch let error as AnnotateError {
                #expect(error.kind == .moduleMap)
                return error.message.replacingOccurrences(of: folder.url.path + "/", with: "")
            }
        }
        #expect(
            try message("module M { umbrella \"include\" }")
                == "module.modulemap: an umbrella directory (include) is not read; name its headers with `header`, or pass --header"
        )
        #expect(try message("module M { link \"m\" }") == "module.modulemap: the module M names no header")
        #expect(try message("/* nothing */") == "module.modulemap: no module is declared")
        #expect(
            try message("module M { header \"gone.h\" }")?.hasPrefix(
                "module.modulemap: the header gone.h does not exist") == true)
        #expect(try message("module M { header \"a.h\" /* open") == "module.modulemap: a comment is not closed")
        // `umbrella header` is a header like any other.
        #expect(try message("module M { umbrella header \"a.h\" }", files: ["a.h": "int a(void);\n"]) == nil)
    }
}
