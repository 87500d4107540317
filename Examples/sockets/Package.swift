// swift-tools-version: 6.2
import PackageDescription

// TCP over libc's sockets, as an outside user of swift-safe-ffi would wrap them: descriptors
// owned by `OwnedFileDescriptor`, every call through `SystemCall.run` (errno read at the call,
// EINTR retried). README.md says what is unsafe and where.

/// Strict memory safety, and a missing `unsafe` is an error.
let strictSafety: [SwiftSetting] = [
    .strictMemorySafety(),
    .treatWarning("StrictMemorySafety", as: .error),
]

let package = Package(
    name: "sockets-example",
    products: [
        .library(name: "Sockets", targets: ["Sockets"])
    ],
    dependencies: [
        // This repository, by path, as a user's package would depend on a release; without
        // its default trait (the demo's command line), so nothing else is fetched.
        .package(name: "swift-safe-ffi", path: "../..", traits: [])
    ],
    targets: [
        // SafeInteropWrappers turns the bounds in APINotes/SwiftGlibc.apinotes into Span
        // overloads of libc's own functions (-iapinotes-modules: notes for a module whose
        // headers are not ours). The define gives Glibc's Clang module a cache entry of its
        // own: the cache key leaves out the notes' path, so without it this target would
        // reuse the module SafeFFI's build made, without the notes. Unsafe flags: a package
        // that depends on this one by version cannot use them, so a user's package carries
        // the notes and the flags itself.
        .target(
            name: "Sockets", dependencies: [.product(name: "SafeFFI", package: "swift-safe-ffi")],
            swiftSettings: strictSafety + [
                .enableExperimentalFeature("SafeInteropWrappers"),
                .unsafeFlags([
                    "-Xcc", "-iapinotes-modules", "-Xcc", Context.packageDirectory + "/APINotes",
                    "-Xcc", "-DSOCKETS_EXAMPLE_LIBC_NOTES",
                ]),
            ]),
        .testTarget(name: "SocketsTests", dependencies: ["Sockets"], swiftSettings: strictSafety),
    ]
)
