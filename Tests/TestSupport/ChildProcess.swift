// Running the package's programs (and compilers) from tests: one helper for every test
// target that checks a program's exit status and output.

import Foundation
import Glibc

/// What a finished child process did.
public struct ChildProcessResult: Sendable {
    /// The exit status, or the signal number when `exited` is false.
    public let status: Int32
    /// Whether the process exited (rather than dying of a signal).
    public let exited: Bool
    /// Standard output.
    public let output: [UInt8]
    /// Standard error, or standard output and error together when they were merged.
    public let error: String

    /// Standard output as text.
    public var outputText: String { String(decoding: output, as: UTF8.self) }
}

/// Where the package and this test binary's build products are.
public enum PackagePaths {
    /// The build folder holding this test binary, its modules and the package's products.
    public static let build = URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent()
    /// The package's root folder.
    public static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

/// Runs `executable` with `arguments`, writes `input` to its standard input, and waits.
///
/// - Parameter mergeError: send standard error to the same pipe as standard output (the
///   combined text is then in `error`, in order).
public func runChildProcess(
    _ executable: URL, _ arguments: [String], input: [UInt8] = [], mergeError: Bool = false
) throws -> ChildProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = mergeError ? stdout : Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    // A child that exits without reading its input (a refused plugin) must make the write
    // fail with EPIPE, not kill the test process.
    signal(SIGPIPE, SIG_IGN)
    try process.run()
    try? stdin.fileHandleForWriting.write(contentsOf: Data(input))
    try? stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let error = mergeError ? output : stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ChildProcessResult(
        status: process.terminationStatus, exited: process.terminationReason == .exit,
        output: mergeError ? [] : Array(output), error: String(decoding: error, as: UTF8.self))
}
