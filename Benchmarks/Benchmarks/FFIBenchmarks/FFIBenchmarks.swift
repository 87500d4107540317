// The package-benchmark suite: each case with wall-clock time and exact malloc counts.
// Run with `swift package benchmark` in Benchmarks/.

import Benchmark
import FFIBenchCases
import Foundation
import GRDBBenchCases

/// The body of the case being measured, set up before its iterations and dropped after.
final class Current: @unchecked Sendable {
    var body: BenchCase.Body?
}

let benchmarks: @Sendable () -> Void = {
    let directory = FileManager.default.temporaryDirectory.appending(path: "ffi-benchmarks-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let plugin = ProcessInfo.processInfo.environment["FFI_BENCH_PLUGIN"] ?? "../.build/release/libuppercase-plugin.so"
    let cases = Cases.all(directory: directory, pluginPath: plugin) + GRDBCases.all(directory: directory)
    // SAFETY: package-benchmark's global default (nonisolated(unsafe)), set once here, while
    // benchmarks are registered on one thread and before any of them runs.
    unsafe Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput], maxDuration: .seconds(1))
    for bench in cases {
        let current = Current()
        Benchmark(
            bench.name,
            closure: { benchmark in await current.body?.repeatRun(benchmark.scaledIterations.count) },
            // Set up per case: a stream left registered would receive every later event.
            setup: { current.body = try bench.prepare() },
            teardown: { current.body = nil })
    }
}
