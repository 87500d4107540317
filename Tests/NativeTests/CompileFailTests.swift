import Foundation
import TestSupport
import Testing

/// Safety the type checker enforces, proven by programs that must not compile
/// (`Tests/CompileFail`). Each is compiled against the modules this test binary was built
/// with, and must fail with the diagnostic its first line names.
@Suite("Programs that must not compile")
struct CompileFailTests {
    static let directory = PackagePaths.root.appending(path: "Tests/CompileFail")

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".swift") }.sorted()
    }

    @Test("the compile-fail programs are all found")
    func found() {
        #expect(
            Self.cases == [
                "adopted-buffer-not-sendable.swift", "adopted-buffer-used-after-sending.swift",
                "descriptor-used-after-close.swift", "handle-used-after-consume.swift",
                "owned-buffer-span-escapes.swift", "shared-buffer-not-sendable.swift",
            ])
    }

    @Test("fails to compile with the expected diagnostic", arguments: cases)
    func failsToCompile(file: String) throws {
        let source = Self.directory.appending(path: file)
        let text = try String(contentsOf: source, encoding: .utf8)
        let marker = "// expect-error: "
        let firstLine = text.prefix { $0 != "\n" }
        try #require(firstLine.hasPrefix(marker), "\(file) must start with \(marker)")
        let expected = String(firstLine.dropFirst(marker.count))

        // The test binary sits in the build directory, next to the modules it imports.
        let build = PackagePaths.build
        let result = try runChildProcess(
            URL(filePath: "/usr/bin/env"),
            [
                "swiftc", "-emit-sil", "-o", "/dev/null", "-swift-version", "6",
                "-I", build.appending(path: "Modules").path,
                "-Xcc", "-fmodule-map-file=" + build.appending(path: "CNative.build/module.modulemap").path,
                source.path,
            ], mergeError: true)
        let diagnostics = result.error

        #expect(result.status != 0, "\(file) compiled, but must not")
        #expect(diagnostics.contains("error: "), "\(file): \(diagnostics)")
        #expect(diagnostics.contains(expected), "\(file): expected '\(expected)' in:\n\(diagnostics)")
    }
}
