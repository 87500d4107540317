// swift-tools-version: 6.2
import PackageDescription

// SDL2 wrapped as an outside user of swift-safe-ffi would: SDL's thread rule kept by an actor
// on one thread of its own, events from any thread as an AsyncSequence, SDL_Event read
// through typed cases, a hidden window drawn into and read back. README.md says what the API
// notes gave and what needed SafeFFI.

/// Strict memory safety, and a missing `unsafe` is an error.
let strictSafety: [SwiftSetting] = [
    .strictMemorySafety(),
    .treatWarning("StrictMemorySafety", as: .error),
]

let package = Package(
    name: "sdl2-example",
    products: [
        .library(name: "SDL", targets: ["SDL"])
    ],
    dependencies: [
        // This repository, by path, as a user's package would depend on a release.
        .package(name: "swift-safe-ffi", path: "../..", traits: [])
    ],
    targets: [
        // SDL2's C API from the system (Debian: libsdl2-dev), with CSDL2.apinotes.
        .systemLibrary(name: "CSDL2", pkgConfig: "sdl2", providers: [.apt(["libsdl2-dev"])]),
        .target(
            name: "SDL",
            dependencies: ["CSDL2", .product(name: "SafeFFI", package: "swift-safe-ffi")],
            swiftSettings: strictSafety + [.enableExperimentalFeature("SafeInteropWrappers")]),
        .testTarget(
            name: "SDLTests", dependencies: ["SDL", .product(name: "SafeFFI", package: "swift-safe-ffi")],
            swiftSettings: strictSafety),
    ]
)
