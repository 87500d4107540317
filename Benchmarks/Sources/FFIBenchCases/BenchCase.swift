// One benchmarked operation, shared by package-benchmark and ffi-compare.

/// An operation to time: `run` performs `operations` of it.
///
/// Synchronous cases use `run`; the AsyncSequence case needs `await` and uses `runAsync`
/// (awaiting a closure costs a task hop, which would swamp the nanosecond-scale cases).
public struct BenchCase: Sendable {
    /// The name the C and Rust drivers use for the same operation.
    public let name: String
    /// What is measured, for the table.
    public let summary: String
    /// Operations one call of `run` performs.
    public let operations: Int
    public let run: (@Sendable () -> Void)?
    public let runAsync: (@Sendable () async -> Void)?

    public init(_ name: String, _ summary: String, operations: Int = 1, run: @escaping @Sendable () -> Void) {
        self.name = name
        self.summary = summary
        self.operations = operations
        self.run = run
        self.runAsync = nil
    }

    public init(
        _ name: String, _ summary: String, operations: Int = 1, runAsync: @escaping @Sendable () async -> Void
    ) {
        self.name = name
        self.summary = summary
        self.operations = operations
        self.run = nil
        self.runAsync = runAsync
    }

    /// Runs the case `count` times.
    public func repeatRun(_ count: Int) async {
        if let run {
            for _ in 0..<count { run() }
        } else if let runAsync {
            for _ in 0..<count { await runAsync() }
        }
    }
}

/// Keeps a value alive and opaque to the optimiser, so measured work is not removed.
@inline(never)
public func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
