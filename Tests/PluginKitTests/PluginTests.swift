import Foundation
import PluginKit
import TestSupport
import Testing

/// Paths of the package and of the build products next to this test binary.
enum Paths {
    static let build = PackagePaths.build
    static let package = PackagePaths.root
    static let host = build.appending(path: "plugin-host")
    static let upperCase = build.appending(path: "libuppercase-plugin.so").path
    static let wordCount = build.appending(path: "libwordcount-plugin.so").path
}

/// Runs `plugin-host` and returns its exit status, standard output and standard error.
func runHost(_ arguments: [String], input: [UInt8]) throws -> (status: Int32, output: [UInt8], error: String) {
    let result = try runChildProcess(Paths.host, arguments, input: input)
    #expect(result.exited, "the host must exit, never die of a signal")
    return (result.status, result.output, result.error)
}

@Suite("Example plugins, from C and from Swift")
struct ExamplePluginTests {
    static let cases: [(plugin: String, config: String?, input: String, output: String)] = [
        (Paths.upperCase, nil, "hello wörld ß\n", "HELLO WÖRLD SS\n"),
        (Paths.upperCase, "ascii", "hello wörld\n", "HELLO WöRLD\n"),
        (Paths.upperCase, nil, "", ""),
        (Paths.wordCount, nil, "one two\nthree  four\n", "2 4 20\n"),
        (Paths.wordCount, "json", "a\tb\n\nc", "{\"lines\":2,\"words\":3,\"bytes\":6}\n"),
        (Paths.wordCount, nil, "", "0 0 0\n"),
    ]

    @Test("the host and the Swift loader give the exact output", arguments: 0..<cases.count)
    func exactOutput(index: Int) throws {
        let (plugin, config, input, expected) = Self.cases[index]
        let host = try runHost([plugin] + (config.map { ["--config", $0] } ?? []), input: Array(input.utf8))
        #expect(host.status == 0)
        #expect(host.error == "")
        #expect(String(decoding: host.output, as: UTF8.self) == expected)

        let library = try PluginLibrary(path: plugin)
        let instance = try library.makeInstance(configuration: config)
        #expect(String(decoding: try instance.process(Array(input.utf8)), as: UTF8.self) == expected)
    }

    @Test("the plugins' names and versions come from their tables")
    func metadata() throws {
        let upper = try PluginLibrary(path: Paths.upperCase)
        #expect(upper.name == "uppercase" && upper.version == "1.0.0")
        let count = try PluginLibrary(path: Paths.wordCount)
        #expect(count.name == "wordcount" && count.version == "1.0.0")
    }

    @Test("a plugin's refusals reach both hosts as code and message")
    func refusals() throws {
        let library = try PluginLibrary(path: Paths.upperCase)
        #expect(
            throws: PluginError(
                refusal: PluginFailure(.invalidConfiguration, "unknown mode 'shout' (use 'unicode' or 'ascii')"))
        ) { _ = try library.makeInstance(configuration: "shout") }
        let instance = try library.makeInstance()
        #expect(
            throws: PluginError(
                refusal: PluginFailure(.invalidInput, "the input is not UTF-8 (invalid byte at offset 1)"))
        ) {
            _ = try instance.process([0x61, 0xFF])
        }
        let host = try runHost([Paths.upperCase], input: [0x61, 0xFF])
        #expect(host.status == 5)
        #expect(
            host.error
                == "plugin-host: uppercase: could not process the input: the input is not UTF-8 (invalid byte at offset 1) (error 2)\n"
        )
        let config = try runHost([Paths.wordCount, "--config", "xml"], input: [])
        #expect(config.status == 4)
        #expect(
            config.error
                == "plugin-host: wordcount: could not create an instance: unknown format 'xml' (use 'text' or 'json') (error 1)\n"
        )
    }

    @Test(
        "usage errors are one line and exit 2",
        arguments: [
            [], ["a.so", "b.so"], ["a.so", "--config"], ["a.so", "--bogus", "x"], ["--config", "x", "a.so"],
            ["--bogus"], ["-"], ["--help", "a.so"],
        ])
    func usage(arguments: [String]) throws {
        let result = try runHost(arguments, input: [])
        #expect(result.status == 2)
        #expect(result.output == [])
        #expect(result.error == "usage: plugin-host PLUGIN.so [--config TEXT]\n")
    }

    @Test("--help prints the usage to standard output and exits 0", arguments: ["--help", "-h"])
    func help(flag: String) throws {
        let result = try runHost([flag], input: [])
        #expect(result.status == 0)
        #expect(result.error == "")
        #expect(
            String(decoding: result.output, as: UTF8.self) == """
                usage: plugin-host PLUGIN.so [--config TEXT]
                Runs the native_plugin library PLUGIN.so over standard input and writes its output to
                standard output. --config TEXT is passed to the plugin's create.
                Exit status: 0 success, 2 usage, 3 the plugin cannot be loaded or is incompatible,
                4 create failed, 5 process failed, 6 reading or writing failed.

                """)
    }
}

@Suite("Malformed plugins are refused by both hosts")
struct MalformedPluginTests {
    /// Builds the fixture with one `-DCASE_…` flag into a fresh shared library.
    static func build(_ flag: String, in directory: URL) throws -> String {
        try build([flag], in: directory)
    }

    /// Builds the fixture with these `-D` flags (a case, `COUNT_BLOCKS`) into a fresh shared
    /// library.
    static func build(_ flags: [String], in directory: URL) throws -> String {
        let output = directory.appending(path: "lib\(flags.joined(separator: "-").lowercased()).so")
        let result = try runChildProcess(
            URL(filePath: "/usr/bin/env"),
            ["cc", "-std=c11", "-shared", "-fPIC"] + flags.map { "-D\($0)" } + [
                "-I", Paths.package.appending(path: "Sources/CPluginABI/include").path,
                Paths.package.appending(path: "Tests/PluginFixtures/malformed.c").path, "-o", output.path,
            ])
        try #require(result.status == 0, "cc failed for \(flags): \(result.error)")
        return output.path
    }

    enum Expected {
        /// The library is refused: the loader's reason, and the message after the path.
        case load(PluginError.Kind, String)
        /// create fails as the plugin reports it.
        case create(PluginFailure)
        /// process fails as the plugin reports it.
        case process(PluginFailure)
        /// create hands back a value the ABI forbids: the rule, and the check's exact words.
        case createBroke(PluginError.Kind, String)
        /// process hands back a value the ABI forbids: the rule, and the check's exact words.
        case processBroke(PluginError.Kind, String)
        /// The plugin keeps the ABI: both hosts give this output for the input "input".
        case output(String)
    }

    static let cases: [(flag: String?, expected: Expected)] = [
        (nil, .load(.missingFile, "no such file")),
        ("NOT_A_LIBRARY", .load(.notLoadable, "not a loadable shared object")),
        ("CASE_NO_ENTRY", .load(.missingEntry, "no native_plugin_entry symbol")),
        ("CASE_NULL_TABLE", .load(.nullTable, "native_plugin_entry returned NULL")),
        (
            "CASE_WRONG_VERSION",
            .load(.incompatible, "plugin ABI version 2 is not supported (this host supports version 1)")
        ),
        (
            "CASE_TRUNCATED",
            .load(.incompatible, "plugin table is 16 bytes, smaller than the 56 bytes of ABI version 1")
        ),
        ("CASE_NULL_PROCESS", .load(.incompatible, "plugin table has no process (NULL)")),
        ("CASE_NULL_NAME", .load(.incompatible, "plugin table has no name (NULL)")),
        ("CASE_NAME_NOT_UTF8", .load(.incompatible, "plugin name is not UTF-8 (invalid byte at offset 3)")),
        ("CASE_NAME_EMPTY", .load(.incompatible, "plugin name is empty")),
        ("CASE_NAME_CONTROL", .load(.incompatible, "plugin name holds a control character at offset 3")),
        ("CASE_NAME_TOO_LONG", .load(.incompatible, "plugin name is longer than 255 bytes")),
        ("CASE_VERSION_NOT_UTF8", .load(.incompatible, "plugin version is not UTF-8 (invalid byte at offset 2)")),
        ("CASE_CREATE_FAILS", .create(PluginFailure(.invalidConfiguration, "refused on purpose"))),
        (
            "CASE_CREATE_NULL_INSTANCE",
            .createBroke(
                .createReturnedNoInstance, "the plugin broke the ABI: create returned OK without an instance (NULL)")
        ),
        (
            "CASE_CREATE_MESSAGE_ON_SUCCESS",
            .createBroke(
                .createReturnedMessageOnSuccess, "the plugin broke the ABI: create returned OK with an error message")
        ),
        (
            "CASE_CREATE_MESSAGE_NOT_UTF8",
            .createBroke(
                .createMessageNotUTF8, "the plugin broke the ABI: create failed with an error message that is not UTF-8"
            )
        ),
        ("CASE_PROCESS_FAILS", .process(PluginFailure(.invalidInput, "bad input on purpose"))),
        ("CASE_PROCESS_FAILS_SILENTLY", .process(PluginFailure(.internal, "no message"))),
        (
            "CASE_PROCESS_NULL_OUTPUT",
            .processBroke(
                .processReturnedNullOutput,
                "the plugin broke the ABI: process returned OK with a NULL output of non-zero length")
        ),
        (
            "CASE_PROCESS_LENGTH_MAX",
            .processBroke(
                .processOutputTooLong,
                "the plugin broke the ABI: process returned an output length over the 1 GiB limit")
        ),
        (
            "CASE_PROCESS_OVER_LIMIT",
            .processBroke(
                .processOutputTooLong,
                "the plugin broke the ABI: process returned an output length over the 1 GiB limit")
        ),
        (
            "CASE_PROCESS_MESSAGE_ON_SUCCESS",
            .processBroke(
                .processReturnedMessageOnSuccess, "the plugin broke the ABI: process returned OK with an error message")
        ),
        (
            "CASE_PROCESS_MESSAGE_NOT_UTF8",
            .processBroke(
                .processMessageNotUTF8,
                "the plugin broke the ABI: process failed with an error message that is not UTF-8")
        ),
        // NULL with length 0 is the empty output, not a broken rule.
        ("CASE_PROCESS_EMPTY_OUTPUT", .output("")),
        ("CASE_NONE", .output("input")),
    ]

    @Test("a path holding a NUL is refused with the NUL's offset, never cut short at it")
    func pathWithNUL() throws {
        var refusal: PluginError?
        do {
            _ = try PluginLibrary(path: "plugins/up\0per.so")
        } catch {
            refusal = error
        }
        let error = try #require(refusal)
        #expect(error.kind == .boundary(.interiorNUL(offset: 10)))
        #expect(error.message == "\"plugins/up\\0per.so\": the path holds a NUL byte at offset 10")
    }

    @Test(
        "each malformed plugin gets the same one-line refusal from the C host and the Swift loader",
        arguments: 0..<cases.count)
    func refused(index: Int) throws {
        let (flag, expected) = Self.cases[index]
        let directory = FileManager.default.temporaryDirectory.appending(path: "plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path: String
        switch flag {
        case nil:
            path = directory.appending(path: "missing.so").path
        case "NOT_A_LIBRARY":
            path = directory.appending(path: "text.so").path
            try Data("not a library".utf8).write(to: URL(filePath: path))
        case let flag?:
            path = try Self.build(flag, in: directory)
        }
        let host = try runHost([path], input: Array("input".utf8))

        switch expected {
        case .load(let reason, let message):
            #expect(host.status == 3)
            var loaderError: PluginError?
            do {
                _ = try PluginLibrary(path: path)
            } catch {
                loaderError = error
            }
            let error = try #require(loaderError)
            #expect(error.kind == reason)
            if reason == .notLoadable {
                // dlerror's own words follow, in parentheses.
                #expect(error.message.hasPrefix("\(path): \(message) ("))
            } else {
                #expect(error.message == "\(path): \(message)")
            }
            #expect(host.error == "plugin-host: \(error.message)\n")
        case .create(let failure):
            #expect(host.status == 4)
            let library = try PluginLibrary(path: path)
            #expect(throws: PluginError(refusal: failure)) { _ = try library.makeInstance() }
            #expect(host.error == "plugin-host: fixture: could not create an instance: \(failure)\n")
        case .process(let failure):
            #expect(host.status == 5)
            let instance = try PluginLibrary(path: path).makeInstance()
            #expect(throws: PluginError(refusal: failure)) { _ = try instance.process(Array("input".utf8)) }
            #expect(host.error == "plugin-host: fixture: could not process the input: \(failure)\n")
        case .createBroke(let rule, let message):
            #expect(host.status == 4)
            let library = try PluginLibrary(path: path)
            let error = try #require(throws: PluginError.self) { _ = try library.makeInstance() }
            Self.expectViolation(error, rule, message)
            #expect(host.error == "plugin-host: fixture: could not create an instance: \(message)\n")
        case .processBroke(let rule, let message):
            #expect(host.status == 5)
            let instance = try PluginLibrary(path: path).makeInstance()
            let error = try #require(throws: PluginError.self) { _ = try instance.process(Array("input".utf8)) }
            Self.expectViolation(error, rule, message)
            #expect(host.error == "plugin-host: fixture: could not process the input: \(message)\n")
        case .output(let output):
            #expect(host.status == 0)
            #expect(host.error == "")
            #expect(String(decoding: host.output, as: UTF8.self) == output)
            let instance = try PluginLibrary(path: path).makeInstance()
            #expect(try instance.process(Array("input".utf8)) == Array(output.utf8))
        }
    }

    static func expectViolation(_ error: PluginError, _ rule: PluginError.Kind, _ message: String) {
        #expect(error.kind == rule)
        #expect(error.message == message)
        #expect(error.description == message)
    }
}

@Suite("A plugin's output lent as a Span")
struct OutputViewTests {
    /// The span's bytes, copied.
    static func copy(_ span: Span<UInt8>) -> [UInt8] {
        (0..<span.count).map { span[$0] }
    }

    /// The fixture built with `COUNT_BLOCKS` (and `flags`) in a fresh directory, loaded.
    static func countingFixture(_ flags: [String] = [], in directory: URL) throws -> PluginLibrary {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try PluginLibrary(path: MalformedPluginTests.build(["COUNT_BLOCKS"] + flags, in: directory))
    }

    /// How many of the fixture's blocks the host holds, as the fixture counts them.
    static func liveBlocks(_ instance: borrowing PluginInstance) throws -> String {
        String(decoding: try instance.process(Array("live?".utf8)), as: UTF8.self)
    }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appending(path: "plugins-\(UUID().uuidString)")
    }

    @Test("the span holds the plugin's exact output, the same bytes the copying process returns")
    func exactBytes() throws {
        let instance = try PluginLibrary(path: Paths.upperCase).makeInstance()
        let input = Array("hello wörld ß\n".utf8)
        let lent = try instance.process(input) { Self.copy($0) }
        #expect(lent == Array("HELLO WÖRLD SS\n".utf8))
        #expect(lent == (try instance.process(input)))
        var calls = 0
        let empty = try instance.process([]) { output in
            calls += 1
            return output.count
        }
        #expect(empty == 0 && calls == 1)
    }

    @Test("a failing plugin's error is thrown and `body` is not called")
    func failure() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let instance = try Self.countingFixture(["CASE_PROCESS_FAILS"], in: directory).makeInstance()
        var called = false
        #expect(throws: PluginError(refusal: PluginFailure(.invalidInput, "bad input on purpose"))) {
            try instance.process(Array("input".utf8)) { _ in called = true }
        }
        #expect(!called)
        #expect(try Self.liveBlocks(instance) == "0")
    }

    @Test("the output lives during `body` and is freed by the plugin's free_memory when it returns")
    func freedAfterBody() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let instance = try Self.countingFixture(in: directory).makeInstance()
        #expect(try Self.liveBlocks(instance) == "0")
        let (echo, liveDuring) = try instance.process(Array("input".utf8)) { output in
            (Self.copy(output), Result { try Self.liveBlocks(instance) })
        }
        #expect(echo == Array("input".utf8))
        #expect(try liveDuring.get() == "1")
        #expect(try Self.liveBlocks(instance) == "0")
        // The copying process frees it too.
        #expect(try instance.process(Array("input".utf8)) == Array("input".utf8))
        #expect(try Self.liveBlocks(instance) == "0")
    }

    @Test("an output the ABI forbids is freed without being lent")
    func brokenContract() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let instance = try Self.countingFixture(["CASE_PROCESS_LENGTH_MAX"], in: directory).makeInstance()
        var called = false
        let error = try #require(throws: PluginError.self) {
            try instance.process(Array("input".utf8)) { _ in called = true }
        }
        MalformedPluginTests.expectViolation(
            error, .processOutputTooLong,
            "the plugin broke the ABI: process returned an output length over the 1 GiB limit")
        #expect(!called)
        #expect(try Self.liveBlocks(instance) == "0")
    }
}
