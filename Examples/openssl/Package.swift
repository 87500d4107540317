// swift-tools-version: 6.2
import PackageDescription

// libcrypto (OpenSSL 3) wrapped as an outside user of swift-safe-ffi would: digests, HMAC,
// random bytes and Ed25519 keys. EVP_PKEY is a Swift reference type through API notes (no
// wrapper class); README.md says what the notes gave and what needed SafeFFI.

/// Strict memory safety, and a missing `unsafe` is an error.
let strictSafety: [SwiftSetting] = [
    .strictMemorySafety(),
    .treatWarning("StrictMemorySafety", as: .error),
]

let package = Package(
    name: "openssl-example",
    products: [
        .library(name: "Crypto", targets: ["Crypto"])
    ],
    dependencies: [
        // This repository, by path, as a user's package would depend on a release.
        .package(name: "swift-safe-ffi", path: "../..", traits: [])
    ],
    targets: [
        // libcrypto's C API from the system (Debian: libssl-dev), with COpenSSL.apinotes.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(
            name: "Crypto",
            dependencies: ["COpenSSL", .product(name: "SafeFFI", package: "swift-safe-ffi")],
            swiftSettings: strictSafety + [.enableExperimentalFeature("SafeInteropWrappers")]),
        // Counts libcrypto's allocations from its first one, to prove keys are freed (a test
        // tool, run by CryptoTests; not a product).
        .executableTarget(
            name: "openssl-allocation-probe", dependencies: ["Crypto", "COpenSSL"], path: "Tests/AllocationProbe",
            swiftSettings: strictSafety),
        .testTarget(
            name: "CryptoTests", dependencies: ["Crypto", "COpenSSL", "openssl-allocation-probe"],
            swiftSettings: strictSafety + [.enableExperimentalFeature("SafeInteropWrappers")]),
    ]
)
