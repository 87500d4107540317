// swift-tools-version: 6.2
import PackageDescription

// Benchmarks of swift-safe-ffi against raw C and the tutorial's Rust, kept out of the main
// package so its heavier dependencies (package-benchmark, GRDB) never reach users.
// Run everything with ./compare; run the package-benchmark suite with
// `swift package benchmark` in this folder.
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
        // Counts malloc calls in ffi-compare (package-benchmark brings its own interposer).
        .target(name: "CMallocCounter"),
        // Every benchmarked operation, shared by package-benchmark and ffi-compare.
        .target(
            name: "FFIBenchCases",
            dependencies: [
                "CBenchSupport",
                .product(name: "Native", package: "swift-safe-ffi"),
                .product(name: "KeyValueStore", package: "swift-safe-ffi"),
                .product(name: "PluginKit", package: "swift-safe-ffi"),
                .product(name: "SafeFFI", package: "swift-safe-ffi"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ], swiftSettings: strictSafety),
        // Times each case the same way the C and Rust drivers do, for the comparison table.
        .executableTarget(
            name: "ffi-compare", dependencies: ["FFIBenchCases", "CMallocCounter"], swiftSettings: strictSafety),
        .executableTarget(
            name: "FFIBenchmarks",
            dependencies: ["FFIBenchCases", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/FFIBenchmarks",
            swiftSettings: strictSafety,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
