// Times every case the way the C and Rust drivers do, and counts mallocs per operation.
//
// Usage: ffi-compare DIRECTORY PLUGIN.so [CASE ITERATIONS]
// Prints "name<TAB>ns/op<TAB>mallocs/op" per case; with CASE and ITERATIONS, runs only that
// case that many times (for callgrind) and prints nothing.

import CMallocCounter
import FFIBenchCases
import Glibc

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 5 else {
    print("usage: ffi-compare DIRECTORY PLUGIN.so [CASE ITERATIONS]")
    exit(2)
}
let cases: [BenchCase]
do {
    cases = try Cases.all(directory: arguments[1], pluginPath: arguments[2])
} catch {
    print("ffi-compare: set-up failed: \(error)")
    exit(1)
}

/// Times every case away from the main actor, so awaiting never hops executors.
nonisolated func measure(_ cases: [BenchCase], only: String?, iterations: Int?) async {
    if let only, let iterations {
        guard let chosen = cases.first(where: { $0.name == only }) else {
            print("unknown case \(only)")
            exit(2)
        }
        await chosen.repeatRun(iterations)
        return
    }
    let clock = ContinuousClock()
    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    for bench in cases {
        // Warm up, then find a repeat count that takes about 10 ms.
        await bench.repeatRun(1)
        var repeats = 1
        while true {
            let start = clock.now
            await bench.repeatRun(repeats)
            if seconds(clock.now - start) >= 0.01 || repeats >= 1 << 24 { break }
            repeats *= 2
        }
        var samples: [Double] = []
        let mallocsBefore = malloc_counter_count()
        for _ in 0..<15 {
            let start = clock.now
            await bench.repeatRun(repeats)
            samples.append(seconds(clock.now - start) * 1e9 / Double(repeats * bench.operations))
        }
        let mallocs = Double(malloc_counter_count() - mallocsBefore) / Double(15 * repeats * bench.operations)
        samples.sort()
        print("\(bench.name)\t\(samples[samples.count / 2])\t\(mallocs)")
    }
}

await measure(cases, only: arguments.count == 5 ? arguments[3] : nil, iterations: arguments.count == 5 ? Int(arguments[4]) : nil)
