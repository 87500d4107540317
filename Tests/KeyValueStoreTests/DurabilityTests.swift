import Foundation
import KeyValueStore
import Testing

/// A child process writes and acknowledges keys; the test kills it with SIGKILL at a random
/// moment, reopens the file and checks that every acknowledged write survived.
/// `KV_DURABILITY_ROUNDS` raises the round count (`scripts/durability-stress`).
@Suite("Database: durability under SIGKILL", .timeLimit(.minutes(5)))
struct DurabilityTests {
    /// 20, or KV_DURABILITY_ROUNDS (scripts/durability-stress); a value that is not a
    /// positive integer stops the test rather than silently running the default.
    static let rounds: Int = {
        guard let text = ProcessInfo.processInfo.environment["KV_DURABILITY_ROUNDS"] else { return 20 }
        guard let rounds = Int(text), rounds > 0 else {
            preconditionFailure("KV_DURABILITY_ROUNDS must be a positive integer, got '\(text)'")
        }
        return rounds
    }()

    @Test("every acknowledged write survives a kill at a random moment, and the file stays sound")
    func killAtRandom() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("durable.db")
        // The writer is built next to this test binary.
        let writer = URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appending(path: "kv-durability-writer")
        var acknowledgedTotal = 0
        for round in 0..<Self.rounds {
            let target = Int.random(in: 1...300)
            let process = Process()
            process.executableURL = writer
            process.arguments = [path, "round\(round)"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()

            var lastAcknowledged = -1
            var pending = ""
            let reader = output.fileHandleForReading
            reading: while lastAcknowledged + 1 < target {
                let data = reader.availableData
                if data.isEmpty { break }
                pending += String(decoding: data, as: UTF8.self)
                while let newline = pending.firstIndex(of: "\n") {
                    let line = String(pending[..<newline])
                    pending.removeSubrange(...newline)
                    guard line.hasPrefix("ack "), let index = Int(line.dropFirst(4)) else {
                        Issue.record("round \(round): the writer said '\(line)'")
                        break reading
                    }
                    lastAcknowledged = index
                }
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "round \(round)")
            #expect(lastAcknowledged + 1 >= target, "round \(round): the writer stopped early")

            let database = try Database(path: path)
            for index in 0...max(0, lastAcknowledged) where lastAcknowledged >= 0 {
                let value = try database.get("round\(round)-\(index)")
                #expect(value == "value-\(index)", "round \(round): acknowledged key \(index) lost")
            }
            #expect(try database.checkIntegrity() == [], "round \(round)")
            try database.close()
            acknowledgedTotal += lastAcknowledged + 1
        }
        #expect(acknowledgedTotal >= Self.rounds)
    }
}
