// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets over the boundary, in their own package so the fuzzer flags never
// reach the main package's plugins or tools. Build and run them with Fuzz/run.
// Each target is a thin entry point over a property in Tests/FuzzProperties (linked here as
// Sources/FuzzProperties), which `swift test` replays on the seeds and on saved crashes.
let strictSafety: [SwiftSetting] = [
    .strictMemorySafety(),
    .treatWarning("StrictMemorySafety", as: .error),
]

let targets = ["FuzzCStrings", "FuzzSizedAPIs", "FuzzDatabaseModel", "FuzzDBCAPI", "FuzzPluginInput"]

let package = Package(
    name: "swift-safe-ffi-fuzz",
    dependencies: [.package(name: "swift-safe-ffi", path: "..")],
    targets: [
        .target(
            name: "FuzzProperties",
            dependencies: [
                .product(name: "SafeFFI", package: "swift-safe-ffi"),
                .product(name: "Native", package: "swift-safe-ffi"),
                .product(name: "KeyValueStore", package: "swift-safe-ffi"),
                .product(name: "PluginKit", package: "swift-safe-ffi"),
                .product(name: "nativedb", package: "swift-safe-ffi"),
            ],
            swiftSettings: strictSafety)
    ]
        + targets.map { name in
            .executableTarget(
                name: name, dependencies: ["FuzzProperties"],
                swiftSettings: strictSafety + [.unsafeFlags(["-parse-as-library"])])
        }
)
