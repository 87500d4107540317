// The package's scripts refuse bad arguments with their usage line and exit 2, before they
// build or run anything: each runs here with a `swift` on PATH that only fails, so a
// script that got past its checks would say so instead of starting a build.

import Foundation
import TestSupport
import Testing

@Suite("Scripts check their arguments before building anything")
struct ScriptArgumentTests {
    static let fuzzUsage = "usage: Fuzz/run [SECONDS] [TARGET...]  (Fuzz/run --help for more)"
    static let stressUsage = "usage: scripts/durability-stress [ROUNDS]  (ROUNDS a positive integer, default 200)"

    static let refusals: [(script: String, arguments: [String], environment: [String], message: String)] = [
        ("Fuzz/run", ["abc"], [], "fuzz: SECONDS must be a positive integer (at most 9 digits) or a target, not 'abc'"),
        ("Fuzz/run", ["0"], [], "fuzz: SECONDS must be a positive integer (at most 9 digits) or a target, not '0'"),
        ("Fuzz/run", ["-3"], [], "fuzz: SECONDS must be a positive integer (at most 9 digits) or a target, not '-3'"),
        ("Fuzz/run", ["010"], [], "fuzz: SECONDS must be a positive integer (at most 9 digits) or a target, not '010'"),
        (
            "Fuzz/run", ["5", "FuzzNothing"], [],
            "fuzz: unknown target 'FuzzNothing' (targets: FuzzCStrings FuzzSizedAPIs FuzzDatabaseModel FuzzDBCAPI FuzzPluginInput)"
        ),
        (
            "Fuzz/run", ["5"], ["FUZZ_RUNS=abc"],
            "fuzz: FUZZ_RUNS must be a positive integer (at most 18 digits), not 'abc'"
        ),
        ("Fuzz/run", ["5"], ["FUZZ_RUNS=0"], "fuzz: FUZZ_RUNS must be a positive integer (at most 18 digits), not '0'"),
        (
            "Fuzz/run", ["5"], ["FUZZ_JOBS=-2"],
            "fuzz: FUZZ_JOBS must be a positive integer (at most 4 digits), not '-2'"
        ),
        (
            "Fuzz/run", ["5"], ["FUZZ_CONFIGURATION=fast"],
            "fuzz: FUZZ_CONFIGURATION must be debug or release, not 'fast'"
        ),
        (
            "scripts/durability-stress", ["-3"], [],
            "durability-stress: ROUNDS must be a positive integer (at most 9 digits), not '-3'"
        ),
        (
            "scripts/durability-stress", ["abc"], [],
            "durability-stress: ROUNDS must be a positive integer (at most 9 digits), not 'abc'"
        ),
        (
            "scripts/durability-stress", ["0"], [],
            "durability-stress: ROUNDS must be a positive integer (at most 9 digits), not '0'"
        ),
        ("scripts/durability-stress", ["5", "6"], [], "durability-stress: one argument at most, got 2"),
    ]

    /// Runs `script` with `environment` added, the fuzz settings cleared and a failing `swift`
    /// first on PATH.
    static func run(_ script: String, _ arguments: [String], environment: [String] = []) throws -> ChildProcessResult {
        let stub = FileManager.default.temporaryDirectory.appending(path: "no-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: stub, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: stub) }
        let swift = stub.appending(path: "swift")
        try Data("#!/bin/sh\necho \"swift was run: $*\" >&2\nexit 99\n".utf8).write(to: swift)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swift.path)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return try runChildProcess(
            URL(filePath: "/usr/bin/env"),
            ["-u", "FUZZ_RUNS", "-u", "FUZZ_JOBS", "-u", "FUZZ_CONFIGURATION", "PATH=\(stub.path):\(path)"]
                + environment + [PackagePaths.root.appending(path: script).path] + arguments)
    }

    @Test("a bad argument or setting: one line on what is wrong, the usage line, exit 2", arguments: 0..<refusals.count)
    func refused(index: Int) throws {
        let (script, arguments, environment, message) = Self.refusals[index]
        let result = try Self.run(script, arguments, environment: environment)
        let usage = script == "Fuzz/run" ? Self.fuzzUsage : Self.stressUsage
        #expect(result.status == 2)
        #expect(result.outputText == "")
        #expect(result.error == "\(message)\n\(usage)\n")
    }

    @Test(
        "--help prints the script's own description and exits 0", arguments: ["Fuzz/run", "scripts/durability-stress"])
    func help(script: String) throws {
        let result = try Self.run(script, ["--help"])
        #expect(result.status == 0)
        #expect(result.error == "")
        let lines = result.outputText.split(separator: "\n").map(String.init)
        if script == "Fuzz/run" {
            #expect(
                lines.first == "Builds every libFuzzer target (ASan + coverage) and runs each for SECONDS (default 30)")
            #expect(lines.contains("Usage: Fuzz/run [SECONDS] [TARGET...]"))
        } else {
            #expect(
                lines.first == "Runs the SIGKILL durability test for more rounds than `swift test` does (default 200).")
            #expect(lines.contains("Usage: scripts/durability-stress [ROUNDS]"))
        }
    }

    @Test("good arguments get past the checks, to the build")
    func accepted() throws {
        let fuzz = try Self.run("Fuzz/run", ["5", "FuzzCStrings"], environment: ["FUZZ_CONFIGURATION=release"])
        #expect(fuzz.status == 99)
        #expect(fuzz.error == "swift was run: build --package-path .. --product uppercase-plugin\n")
        let stress = try Self.run("scripts/durability-stress", ["3"])
        #expect(stress.status == 99)
        #expect(stress.error == "swift was run: test --disable-xctest --filter DurabilityTests\n")
    }
}
