// swift-tools-version: 6.2
import PackageDescription

// Benchmarks of swift-safe-ffi against C and the tutorial's Rust, kept out of the main
// package so its heavier dependencies (package-benchmark, GRDB) never reach users.
// Run everything with ./compare; the instruction budget with ../scripts/instruction-budget;
// the package-benchmark suite with `swift package benchmark` in this folder.
let strictSafety: [SwiftSetting] = [.strictMemorySafety(), .treatWarning("StrictMemorySafety", as: .error)]

let package = Package(
    name: "swift-safe-ffi-benchmarks",
    dependencies: [
        .package(name: "swift-safe-ffi", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C helpers the cases need: a strdup to take ownership of, a C callback for the floor.
        .target(name: "CBenchSupport", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The C floor, built by SwiftPM as it builds CNative for Swift: clang with SwiftPM's
        // flags, libnative's objects linked statically into the executable (no PLT, no
        // __tls_get_addr). Native and PluginKit bring CNative's and CPluginABI's headers and
        // objects; bench.c calls no Swift.
        .executableTarget(
            name: "bench-c",
            dependencies: [
                "CBenchSupport",
                .product(name: "Native", package: "swift-safe-ffi"),
                .product(name: "PluginKit", package: "swift-safe-ffi"),
            ],
            linkerSettings: [.linkedLibrary("dl")]),
        // Reads the allocation counter that ffi-compare's counting run preloads.
        .target(name: "CMallocCounter"),
        // The library's benchmarked operations, shared by every Swift driver.
        .target(
            name: "FFIBenchCases",
            dependencies: [
                "CBenchSupport",
                .product(name: "Native", package: "swift-safe-ffi"),
                .product(name: "KeyValueStore", package: "swift-safe-ffi"),
                .product(name: "PluginKit", package: "swift-safe-ffi"),
                .product(name: "SafeFFI", package: "swift-safe-ffi"),
            ],
            // sum-span-1e6 calls sum_array through the Span overload the compiler makes from
            // native.h's annotations. The cases' own state (a class `var` a body changes) is not
            // what is measured, and C's has no run-time exclusivity check: without this flag
            // batch-one-call paid ~95 of its ~180 instructions a call of Swift in one. The
            // library's modules are built without it.
            swiftSettings: strictSafety + [
                .enableExperimentalFeature("SafeInteropWrappers"),
                .unsafeFlags(["-enforce-exclusivity=unchecked"]),
            ]),
        // GRDB's versions of the database cases, for comparison only.
        .target(
            name: "GRDBBenchCases",
            dependencies: ["FFIBenchCases", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSafety),
        // The command line of ffi-compare and ffi-cases: timing, allocation counts, one case.
        .target(name: "BenchDriver", dependencies: ["FFIBenchCases", "CMallocCounter"], swiftSettings: strictSafety),
        // Every case, GRDB's included: the timings of the report.
        .executableTarget(
            name: "ffi-compare", dependencies: ["BenchDriver", "FFIBenchCases", "GRDBBenchCases"],
            swiftSettings: strictSafety),
        // The library's cases only (no GRDB, no Foundation): what callgrind counts.
        .executableTarget(
            name: "ffi-cases", dependencies: ["BenchDriver", "FFIBenchCases"], swiftSettings: strictSafety),
        .executableTarget(
            name: "FFIBenchmarks",
            dependencies: ["FFIBenchCases", "GRDBBenchCases", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/FFIBenchmarks",
            swiftSettings: strictSafety,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
