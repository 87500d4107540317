// The package-benchmark suite: each case with wall-clock time and exact malloc counts.
// Run with `swift package benchmark` in Benchmarks/.

import Benchmark
import FFIBenchCases
import Foundation

let benchmarks: @Sendable () -> Void = {
    let directory = FileManager.default.temporaryDirectory.appending(path: "ffi-benchmarks-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let plugin = ProcessInfo.processInfo.environment["FFI_BENCH_PLUGIN"] ?? "../.build/release/libuppercase-plugin.so"
    let cases: [BenchCase]
    do {
        cases = try Cases.all(directory: directory, pluginPath: plugin)
    } catch {
        print("benchmark setup failed: \(error) (build the plugin with `swift build -c release` in the main package)")
        return
    }
    // SAFETY: package-benchmark's global default (nonisolated(unsafe)), set once here, while
    // benchmarks are registered on one thread and before any of them runs.
    unsafe Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput], maxDuration: .seconds(1))
    for bench in cases {
        Benchmark(bench.name) { benchmark in
            await bench.repeatRun(benchmark.scaledIterations.count)
        }
    }
}
