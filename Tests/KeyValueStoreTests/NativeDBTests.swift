import Foundation
import TestSupport
import Testing

/// The tutorial's db_* C API, served from Swift: driven from C, and held to its header.
@Suite("db_* C API")
struct NativeDBTests {
    static let buildDirectory = PackagePaths.build
    static let packageDirectory = PackagePaths.root

    /// Runs a program and returns its exit status and everything it printed.
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try runChildProcess(executable, arguments, mergeError: true)
        return (result.status, result.error)
    }

    @Test(
        "a C program drives every db_* function: NULLs, missing keys, closed, forged and concurrently closed handles"
    )
    func cProgram() throws {
        let directory = try TemporaryDirectory()
        let (status, output) = try Self.run(
            Self.buildDirectory.appending(path: "db-c-test"), [directory.path("c-api.db")])
        #expect(output == "db-c-test: all checks passed\n")
        #expect(status == 0)
    }

    @Test(
        "db-c-test refuses arguments that are not one database path, and creates nothing",
        arguments: [
            (["--help"], "usage: db-c-test DATABASE-PATH\n"),
            (["-h"], "usage: db-c-test DATABASE-PATH\n"),
            (["--verbose"], "db-c-test: unknown option --verbose\nusage: db-c-test DATABASE-PATH\n"),
            ([], "usage: db-c-test DATABASE-PATH\n"),
            (["one.db", "two.db"], "usage: db-c-test DATABASE-PATH\n"),
            ([""], "db-c-test: the database path is empty\nusage: db-c-test DATABASE-PATH\n"),
        ])
    func cProgramArguments(arguments: [String], expected: String) throws {
        let directory = FileManager.default.currentDirectoryPath
        let existed = arguments.map { FileManager.default.fileExists(atPath: "\(directory)/\($0)") }
        let (status, output) = try Self.run(Self.buildDirectory.appending(path: "db-c-test"), arguments)
        #expect(output == expected)
        #expect(status == 2)
        let exists = arguments.map { FileManager.default.fileExists(atPath: "\(directory)/\($0)") }
        #expect(exists == existed, "no database is created in \(directory)")
    }

    @Test("native_db.h declares exactly what Swift exports")
    func headerMatchesExports() throws {
        let generated = FileManager.default.temporaryDirectory.appending(path: "NativeDB-\(UUID().uuidString).h")
        defer { try? FileManager.default.removeItem(at: generated) }
        let sources = try FileManager.default.contentsOfDirectory(
            atPath: Self.packageDirectory.appending(path: "Sources/NativeDB").path
        ).filter { $0.hasSuffix(".swift") }.map { Self.packageDirectory.appending(path: "Sources/NativeDB/\($0)").path }
        let (status, output) = try Self.run(
            URL(filePath: "/usr/bin/env"),
            [
                "swiftc", "-typecheck", "-parse-as-library", "-module-name", "NativeDB", "-swift-version", "6",
                "-I", Self.buildDirectory.appending(path: "Modules").path,
                "-Xcc",
                "-fmodule-map-file=" + Self.buildDirectory.appending(path: "CNativeDB.build/module.modulemap").path,
                "-Xcc", "-I" + Self.packageDirectory.appending(path: "Sources/CNativeDB/include").path,
                "-Xcc",
                "-fmodule-map-file="
                    + Self.buildDirectory.appending(path: "CKeyValueWriteQueue.build/module.modulemap").path,
                "-Xcc", "-I" + Self.packageDirectory.appending(path: "Sources/CKeyValueWriteQueue/include").path,
                "-I", Self.packageDirectory.appending(path: "Sources/CSQLite").path,
                "-emit-clang-header-path", generated.path,
            ] + sources)
        try #require(status == 0, "swiftc failed: \(output)")
        let exported = try Self.declarations(in: String(contentsOf: generated, encoding: .utf8))
        let declared = try Self.declarations(
            in: String(
                contentsOf: Self.packageDirectory.appending(path: "Sources/CNativeDB/include/native_db.h"),
                encoding: .utf8))
        #expect(exported.count == 7)
        #expect(exported == declared.filter { exported.keys.contains($0.key) })
        #expect(
            exported["db_get"] == "char *db_get(void *handle, const char *key)",
            "the tutorial's signature")
    }

    /// The db_* function declarations of a header, normalised: nullability and Swift's
    /// attribute macros removed, `char const` spelled `const char`, spaces collapsed.
    static func declarations(in header: String) throws -> [String: String] {
        var found: [String: String] = [:]
        for line in header.split(separator: "\n") where line.contains("db_") && line.contains("(") {
            var text = String(line)
            for noise in ["SWIFT_EXTERN", "SWIFT_NOEXCEPT", "SWIFT_WARN_UNUSED_RESULT", "_Nullable", "_Nonnull", ";"] {
                text = text.replacingOccurrences(of: noise, with: "")
            }
            text = text.replacingOccurrences(of: "char const", with: "const char")
            text = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            text = text.replacingOccurrences(of: "* ", with: "*").replacingOccurrences(of: " *", with: " *")
            guard let open = text.firstIndex(of: "("),
                let name = text[..<open].split(whereSeparator: { $0 == " " || $0 == "*" }).last,
                name.hasPrefix("db_")
            else { continue }
            found[String(name)] = text
        }
        return found
    }
}
