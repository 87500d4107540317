// swift-tools-version: 6.2
import PackageDescription

// libgit2 wrapped as an outside user of swift-safe-ffi would: repositories, objects, history
// and the `*_foreach` callbacks a Swift closure can stop. README.md says what the API notes
// gave and what needed SafeFFI.

/// Strict memory safety, and a missing `unsafe` is an error.
let strictSafety: [SwiftSetting] = [
    .strictMemorySafety(),
    .treatWarning("StrictMemorySafety", as: .error),
]

let package = Package(
    name: "libgit2-example",
    products: [
        .library(name: "Git", targets: ["Git"])
    ],
    dependencies: [
        // This repository, by path, as a user's package would depend on a release.
        .package(name: "swift-safe-ffi", path: "../..", traits: [])
    ],
    targets: [
        // libgit2's C API from the system (Debian: libgit2-dev), with CGit2.apinotes.
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .target(
            name: "Git",
            dependencies: ["CGit2", .product(name: "SafeFFI", package: "swift-safe-ffi")],
            swiftSettings: strictSafety + [.enableExperimentalFeature("SafeInteropWrappers")]),
        .testTarget(name: "GitTests", dependencies: ["Git"], swiftSettings: strictSafety),
    ]
)
