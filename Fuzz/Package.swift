// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets over the boundary, in their own package so the fuzzer flags never
// reach the main package's plugins or tools. Build and run them with Fuzz/run.
let targets = ["FuzzCStrings", "FuzzSizedAPIs", "FuzzDatabaseModel", "FuzzDBCAPI", "FuzzPluginInput"]

let package = Package(
    name: "swift-safe-ffi-fuzz",
    dependencies: [.package(name: "swift-safe-ffi", path: "..")],
    targets: targets.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                .product(name: "SafeFFI", package: "swift-safe-ffi"),
                .product(name: "Native", package: "swift-safe-ffi"),
                .product(name: "KeyValueStore", package: "swift-safe-ffi"),
                .product(name: "PluginKit", package: "swift-safe-ffi"),
                .product(name: "nativedb", package: "swift-safe-ffi"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)
