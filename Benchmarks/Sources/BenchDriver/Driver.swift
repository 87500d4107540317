// The command line shared by ffi-compare (every case, GRDB's too) and ffi-cases (the
// library's cases only, for callgrind and the instruction budget).
//
// Usage: DRIVER DIRECTORY PLUGIN.so              time every case: "name<TAB>ns/op"
//        DRIVER DIRECTORY PLUGIN.so --mallocs    count allocations: "name<TAB>mallocs/op"
//                                                (needs LD_PRELOAD=libmalloc-counter.so)
//        DRIVER DIRECTORY PLUGIN.so --list       "name<TAB>operations<TAB>callgrind count<TAB>sync|async"
//        DRIVER DIRECTORY PLUGIN.so CASE COUNT   set up CASE, run its body COUNT times, print
//                                                nothing (for callgrind)
//
// Each case is set up just before it runs and torn down after, so no case pays for another's
// state (an event stream left registered receives every later event).
//
// `main` is synchronous on purpose: valgrind 3.19 crashes on Swift programs with an async
// main, and callgrind runs this program. An async case runs in a Task.

import CMallocCounter
import Dispatch
import FFIBenchCases
import Glibc

public enum Driver {
    public static func main(cases makeCases: (_ directory: String, _ pluginPath: String) -> [BenchCase]) -> Never {
        let arguments = CommandLine.arguments
        guard (3...5).contains(arguments.count) else {
            print("usage: \(arguments[0]) DIRECTORY PLUGIN.so [--mallocs | --list | CASE COUNT]")
            exit(2)
        }
        let cases = makeCases(arguments[1], arguments[2])
        switch arguments.count == 3 ? nil : arguments[3] {
        case nil:
            for bench in cases { print("\(bench.name)\t\(time(bench))") }
        case "--mallocs":
            guard bench_malloc_count() >= 0 else {
                print("\(arguments[0]): --mallocs needs LD_PRELOAD=libmalloc-counter.so (see Benchmarks/compare)")
                exit(2)
            }
            for bench in cases { print("\(bench.name)\t\(mallocs(bench))") }
        case "--list":
            for bench in cases {
                print(
                    "\(bench.name)\t\(bench.operations)\t\(Cases.callgrindCount(bench.name))\t\(bench.isAsync ? "async" : "sync")"
                )
            }
        case let name?:
            guard arguments.count == 5, let chosen = cases.first(where: { $0.name == name }),
                let count = Int(arguments[4])
            else {
                print("\(arguments[0]): unknown case '\(name)' or no count")
                exit(2)
            }
            repeatRun(prepare(chosen), count)
        }
        exit(0)
    }

    static func prepare(_ bench: BenchCase) -> BenchCase.Body {
        must("set-up of \(bench.name)") { try bench.prepare() }
    }

    /// Runs `count` repetitions of `body`, waiting for an async body to finish.
    static func repeatRun(_ body: BenchCase.Body, _ count: Int) {
        if case .sync(let run) = body {
            for _ in 0..<count { run() }
            return
        }
        let done = DispatchSemaphore(value: 0)
        Task {
            await body.repeatRun(count)
            done.signal()
        }
        done.wait()
    }

    /// The median of 15 rounds of about 10 ms each, after a warm-up, in ns per operation.
    static func time(_ bench: BenchCase) -> Double {
        let body = prepare(bench)
        let clock = ContinuousClock()
        repeatRun(body, 1)
        var repeats = 1
        while true {
            let start = clock.now
            repeatRun(body, repeats)
            if seconds(clock.now - start) >= 0.01 || repeats >= 1 << 24 { break }
            repeats *= 2
        }
        var samples: [Double] = []
        for _ in 0..<15 {
            let start = clock.now
            repeatRun(body, repeats)
            samples.append(seconds(clock.now - start) * 1e9 / Double(repeats * bench.operations))
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// Allocations per operation, in a run of its own (never a timed one).
    static func mallocs(_ bench: BenchCase) -> Double {
        let body = prepare(bench)
        repeatRun(body, 1)
        let count = Cases.callgrindCount(bench.name)
        let before = bench_malloc_count()
        repeatRun(body, count)
        return Double(bench_malloc_count() - before) / Double(count * bench.operations)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
