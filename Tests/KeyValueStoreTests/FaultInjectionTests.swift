import Foundation
import Testing

/// Runs the SQLite fault loops (`kv-fault-injector`, a separate process because
/// `sqlite3_config` must precede any use of SQLite) and requires zero violations.
@Suite("Database: SQLite allocation and I/O failures", .timeLimit(.minutes(5)))
struct FaultInjectionTests {
    @Test("every allocation and write/sync failure point gives a typed error and leaves the file sound")
    func faultLoops() throws {
        let directory = try TemporaryDirectory()
        let (status, output) = try NativeDBTests.run(
            NativeDBTests.buildDirectory.appending(path: "kv-fault-injector"), [directory.url.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("\nviolations: 0\n"), "\(output)")
        // Every write operation must have met at least one failure of each kind.
        for operation in ["set (update)", "set (insert)", "delete", "transaction", "transaction (skipping failures)"] {
            #expect(!output.contains("\(operation): 0 allocation"), "\(operation) was never failed")
            #expect(!output.contains("\(operation): 0 io"), "\(operation) was never failed")
        }
        let totals = try #require(output.split(separator: "\n").first { $0.hasPrefix("total: ") })
        let numbers = totals.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(numbers.count == 2 && numbers[0] >= 500 && numbers[1] >= 20, "\(totals)")
    }
}
