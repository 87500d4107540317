// swift-tools-version: 6.2
import PackageDescription

/// Strict memory safety on every Swift target, and it sticks: a missing `unsafe`
/// is an error, not a warning. SafeInteropWrappers (experimental, Swift 6.2+): a C
/// parameter the header annotates with `counted_by`/`sized_by` and `noescape` is also
/// imported taking a `Span`, so passing a buffer to C needs no `unsafe` (see DESIGN.md,
/// "Annotate, then wrap"). It changes what is imported, not what is emitted.
let strictSafety: [SwiftSetting] = [
    .strictMemorySafety(),
    .treatWarning("StrictMemorySafety", as: .error),
    .enableExperimentalFeature("SafeInteropWrappers"),
]

let package = Package(
    name: "swift-safe-ffi",
    products: [
        .library(name: "SafeFFI", targets: ["SafeFFI"]),
        .library(name: "Native", targets: ["Native"]),
        .library(name: "KeyValueStore", targets: ["KeyValueStore"]),
        // The tutorial's db_* C API, served from Swift: libnativedb.so.
        .library(name: "nativedb", type: .dynamic, targets: ["NativeDB"]),
        .library(name: "PluginKit", targets: ["PluginKit"]),
        // Example plugins written in Swift, loaded by C (plugin-host) and by Swift: products
        // only because a dynamic library needs one to be built as a shared object.
        .library(name: "uppercase-plugin", type: .dynamic, targets: ["UpperCasePlugin"]),
        .library(name: "wordcount-plugin", type: .dynamic, targets: ["WordCountPlugin"]),
        // Writes API notes for a C library from its headers (docs/ANNOTATE.md).
        .executable(name: "safe-ffi-annotate", targets: ["safe-ffi-annotate"]),
        // `swift package annotate-headers --target NAME`: the annotator on a target's module map.
        .plugin(name: "AnnotateHeaders", targets: ["AnnotateHeaders"]),
    ],
    // ffi-demo's command line is the only user of swift-argument-parser. A package that
    // depends on this one with `traits: []` does not fetch it (or build its plugins);
    // the trait is on by default, so `swift run ffi-demo` works here as it is.
    traits: [
        .trait(name: "Demo", description: "ffi-demo's command line, with swift-argument-parser."),
        .default(enabledTraits: ["Demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // The tutorial's C library, in C: no Swift knowledge.
        .target(name: "CNative"),
        // The toolkit: knows no particular C library.
        .target(name: "SafeFFI", swiftSettings: strictSafety),
        // The safe Swift API of CNative, one file per tutorial section.
        .target(name: "Native", dependencies: ["CNative", "SafeFFI"], swiftSettings: strictSafety),
        // SQLite's C API, from the system (Debian: libsqlite3-dev).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The order writers take SQLite's lock in, across threads and processes, within one
        // deadline (C: it needs Linux's open-file-description locks).
        .target(name: "CKeyValueWriteQueue"),
        // The tutorial's database wrapper, over SQLite.
        .target(
            name: "KeyValueStore", dependencies: ["CSQLite", "CKeyValueWriteQueue", "SafeFFI"],
            swiftSettings: strictSafety),
        // native_db.h, and the thread-local status of the db_* API.
        .target(name: "CNativeDB"),
        // The db_* functions, exported from Swift with @c.
        .target(
            name: "NativeDB", dependencies: ["CNativeDB", "CSQLite", "KeyValueStore", "SafeFFI"],
            swiftSettings: strictSafety),
        // The plugin ABI (native_plugin.h) and its compatibility check, all in the header.
        .target(name: "CPluginABI"),
        // Writing plugins in Swift, and loading any plugin from Swift.
        .target(name: "PluginKit", dependencies: ["CPluginABI", "SafeFFI"], swiftSettings: strictSafety),
        .target(
            name: "UpperCasePlugin", dependencies: ["PluginKit"], path: "Sources/Plugins/UpperCase",
            swiftSettings: strictSafety),
        .target(
            name: "WordCountPlugin", dependencies: ["PluginKit"], path: "Sources/Plugins/WordCount",
            swiftSettings: strictSafety),
        // A C host that loads a plugin and runs it over standard input.
        .executableTarget(name: "plugin-host", dependencies: ["CPluginABI"], linkerSettings: [.linkedLibrary("dl")]),
        // The annotator: reads C headers with Clang, infers API notes, reports the rest.
        .target(name: "SafeFFIAnnotate", swiftSettings: strictSafety),
        .executableTarget(name: "safe-ffi-annotate", dependencies: ["SafeFFIAnnotate"], swiftSettings: strictSafety),
        .plugin(
            name: "AnnotateHeaders",
            capability: .command(
                intent: .custom(
                    verb: "annotate-headers", description: "Write MODULE.apinotes for C targets with safe-ffi-annotate"),
                permissions: [
                    .writeToPackageDirectory(reason: "MODULE.apinotes goes beside the target's module.modulemap")
                ]),
            dependencies: ["safe-ffi-annotate"]),
        .executableTarget(
            name: "ffi-demo",
            dependencies: [
                "Native", "KeyValueStore", "PluginKit", "SafeFFI",
                .product(name: "ArgumentParser", package: "swift-argument-parser", condition: .when(traits: ["Demo"])),
            ],
            swiftSettings: strictSafety
        ),

        // Test tools (Tests/Tools): programs and C code that only the tests run.
        // A C program that drives every db_* function against libnativedb (NativeDBTests).
        .executableTarget(name: "db-c-test", dependencies: ["NativeDB"], path: "Tests/Tools/db-c-test"),
        // SQLite fault injection (an allocator and a VFS that fail on request) and the
        // process that runs the fault loops over every Database operation.
        .target(name: "CSQLiteFaults", dependencies: ["CSQLite"], path: "Tests/Tools/CSQLiteFaults"),
        .executableTarget(
            name: "kv-fault-injector", dependencies: ["CSQLiteFaults", "KeyValueStore", "SafeFFI"],
            path: "Tests/Tools/kv-fault-injector", swiftSettings: strictSafety),
        // The child process of the durability test.
        .executableTarget(
            name: "kv-durability-writer", dependencies: ["KeyValueStore"], path: "Tests/Tools/kv-durability-writer",
            swiftSettings: strictSafety),
        // The child process of the write-fairness test.
        .executableTarget(
            name: "kv-contention-writer", dependencies: ["KeyValueStore"], path: "Tests/Tools/kv-contention-writer",
            swiftSettings: strictSafety),
        // Processes opening one new database file at the same moment (OpeningTests).
        .executableTarget(
            name: "kv-open-race", dependencies: ["KeyValueStore"], path: "Tests/Tools/kv-open-race",
            swiftSettings: strictSafety),

        // Running the package's programs from tests.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSafety),
        // The fuzz targets' properties: Fuzz/ checks them on generated inputs, `swift test`
        // on the seeds and on every input that ever failed.
        .target(
            name: "FuzzProperties",
            dependencies: ["SafeFFI", "Native", "CNative", "KeyValueStore", "CNativeDB", "NativeDB", "PluginKit"],
            path: "Tests/FuzzProperties", swiftSettings: strictSafety),
        // A tiny C fixture that misbehaves on purpose, so each SafeFFI piece is tested alone.
        .target(name: "CSafeFFIFixture", path: "Tests/CSafeFFIFixture"),
        .testTarget(
            name: "SafeFFITests",
            dependencies: ["SafeFFI", "CSafeFFIFixture", "TestSupport"],
            swiftSettings: strictSafety
        ),
        .testTarget(
            name: "KeyValueStoreTests",
            dependencies: [
                "KeyValueStore", "SafeFFI", "TestSupport", "CSQLite", "CKeyValueWriteQueue", "CSQLiteFaults",
            ],
            swiftSettings: strictSafety),
        .testTarget(
            name: "AnnotateTests", dependencies: ["SafeFFIAnnotate", "TestSupport"],
            exclude: ["GroundTruth", "Fixtures"], swiftSettings: strictSafety),
        .testTarget(
            name: "PluginKitTests", dependencies: ["PluginKit", "CPluginABI", "SafeFFI", "TestSupport"],
            swiftSettings: strictSafety),
        .testTarget(
            name: "NativeTests",
            dependencies: [
                "Native", "CNative", "SafeFFI", "KeyValueStore", "PluginKit", "TestSupport", "FuzzProperties",
            ],
            swiftSettings: strictSafety),
    ],
    cLanguageStandard: .c11
)
