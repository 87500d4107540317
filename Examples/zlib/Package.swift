// swift-tools-version: 6.2
import PackageDescription

// zlib wrapped twice with the same public API, as an outside user would: `Zlib` with
// Swift's safe interop (CZlib.apinotes) and SafeFFI, `ZlibPlain` in plain Swift. README.md
// compares them; both are tested.

/// Strict memory safety, and a missing `unsafe` is an error.
let strictSafety: [SwiftSetting] = [
    .strictMemorySafety(),
    .treatWarning("StrictMemorySafety", as: .error),
]

let package = Package(
    name: "zlib-example",
    products: [
        .library(name: "Zlib", targets: ["Zlib"]),
        .library(name: "ZlibPlain", targets: ["ZlibPlain"]),
    ],
    dependencies: [
        // This repository, by path, as a user's package would depend on a release.
        .package(name: "swift-safe-ffi", path: "../..")
    ],
    targets: [
        // zlib's C API from the system (Debian: zlib1g-dev), with CZlib.apinotes.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Span overloads from the API notes (SafeInteropWrappers), SafeFFI for the rest.
        .target(
            name: "Zlib",
            dependencies: ["CZlib", .product(name: "SafeFFI", package: "swift-safe-ffi")],
            swiftSettings: strictSafety + [.enableExperimentalFeature("SafeInteropWrappers")]),
        // The baseline: the same API with neither (the API notes are ignored without the feature).
        .target(name: "ZlibPlain", dependencies: ["CZlib"], swiftSettings: strictSafety),
        .testTarget(name: "ZlibTests", dependencies: ["Zlib"], swiftSettings: strictSafety),
        // The same test file (a symbolic link), compiled against the baseline.
        .testTarget(
            name: "ZlibPlainTests", dependencies: ["ZlibPlain"], swiftSettings: strictSafety + [.define("PLAIN")]),
    ]
)
