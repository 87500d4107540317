// Times every case the way the C and Rust drivers do, and counts mallocs per operation.
//
// Usage: ffi-compare DIRECTORY PLUGIN.so [CASE ITERATIONS]
// Prints "name<TAB>ns/op<TAB>mallocs/op" per case; with CASE and ITERATIONS, runs only that
// (synchronous) case that many times, for callgrind, and prints nothing.
//
// `main` is synchronous on purpose: valgrind 3.19 crashes on Swift programs with an async
// main, and callgrind runs this program. The one async case runs in a Task.

import CMallocCounter
import Dispatch
import FFIBenchCases
import Glibc

/// Runs `count` repetitions of `bench`, waiting for an async case to finish.
func repeatRun(_ bench: BenchCase, _ count: Int) {
    if let run = bench.run {
        for _ in 0..<count { run() }
        return
    }
    let done = DispatchSemaphore(value: 0)
    Task {
        await bench.repeatRun(count)
        done.signal()
    }
    done.wait()
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

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

if arguments.count == 5 {
    guard let chosen = cases.first(where: { $0.name == arguments[3] }), chosen.run != nil,
        let iterations = Int(arguments[4])
    else {
        print("ffi-compare: unknown synchronous case '\(arguments[3])' or bad count")
        exit(2)
    }
    repeatRun(chosen, iterations)
    exit(0)
}

let clock = ContinuousClock()
for bench in cases {
    // Warm up, then find a repeat count that takes about 10 ms.
    repeatRun(bench, 1)
    var repeats = 1
    while true {
        let start = clock.now
        repeatRun(bench, repeats)
        if seconds(clock.now - start) >= 0.01 || repeats >= 1 << 24 { break }
        repeats *= 2
    }
    var samples: [Double] = []
    let mallocsBefore = malloc_counter_count()
    for _ in 0..<15 {
        let start = clock.now
        repeatRun(bench, repeats)
        samples.append(seconds(clock.now - start) * 1e9 / Double(repeats * bench.operations))
    }
    let mallocs = Double(malloc_counter_count() - mallocsBefore) / Double(15 * repeats * bench.operations)
    samples.sort()
    print("\(bench.name)\t\(samples[samples.count / 2])\t\(mallocs)")
}
