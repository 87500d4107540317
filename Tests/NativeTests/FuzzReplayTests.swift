// Every input that ever failed a fuzz target (Tests/FuzzRegressions/TARGET/) and every seed
// (Fuzz/Seeds/TARGET/), replayed through the target's own property
// (Tests/FuzzProperties), so a found bug stays fixed without running the fuzzer.

import Foundation
import FuzzProperties
import PluginKit
import TestSupport
import Testing

/// The fuzz targets' properties, as `swift test` builds them.
/// (Computed: an array of metatypes of a protocol that is not `Sendable` cannot be a
/// global constant under strict concurrency.)
var fuzzProperties: [any FuzzProperty.Type] {
    [
        CStringsProperty.self, SizedAPIsProperty.self, DatabaseModelProperty.self, DBCAPIProperty.self,
        PluginInputProperty.self,
    ]
}

/// One saved input of a fuzz target, named by its path in the package.
struct FuzzInput: Sendable, CustomTestStringConvertible {
    let target: String
    let path: String

    var testDescription: String { path }

    var bytes: [UInt8] {
        get throws { try [UInt8](Data(contentsOf: PackagePaths.root.appending(path: path))) }
    }

    /// The property this input is checked against, freshly made.
    func property() throws -> any FuzzProperty {
        switch target {
        case CStringsProperty.targetName:
            return CStringsProperty()
        case SizedAPIsProperty.targetName:
            return SizedAPIsProperty()
        case DatabaseModelProperty.targetName:
            return try DatabaseModelProperty()
        case DBCAPIProperty.targetName:
            return try DBCAPIProperty()
        case PluginInputProperty.targetName:
            let library = try PluginLibrary(path: PackagePaths.build.appending(path: "libuppercase-plugin.so").path)
            return PluginInputProperty(library: library)
        default:
            throw PropertyViolation("no property for the fuzz target \(target)")
        }
    }

    /// Every target's regressions, then its seeds, in name order.
    static let all: [FuzzInput] = fuzzProperties.map { $0.targetName }.flatMap { target in
        ["Tests/FuzzRegressions", "Fuzz/Seeds"].flatMap { folder in
            let directory = "\(folder)/\(target)"
            let names =
                (try? FileManager.default.contentsOfDirectory(
                    atPath: PackagePaths.root.appending(path: directory).path)) ?? []
            return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map {
                FuzzInput(target: target, path: "\(directory)/\($0)")
            }
        }
    }
}

extension NativeTests {
    /// Serialized with the rest of libnative's tests: the sized-API property counts the
    /// library's live allocations.
    @Suite("fuzz inputs replayed")
    struct FuzzReplayTests {
        @Test("every target's seeds and kept regressions are found, the regressions first")
        func inputsFound() {
            let counts = Dictionary(grouping: FuzzInput.all, by: \.target).mapValues(\.count)
            #expect(
                counts == [
                    CStringsProperty.targetName: 61, SizedAPIsProperty.targetName: 11,
                    DatabaseModelProperty.targetName: 3, DBCAPIProperty.targetName: 6,
                    PluginInputProperty.targetName: 2,
                ])
            #expect(Set(counts.keys) == Set(fuzzProperties.map { $0.targetName }))
            #expect(
                FuzzInput.all.first { $0.target == SizedAPIsProperty.targetName }?.path
                    == "Tests/FuzzRegressions/FuzzSizedAPIs/int-min-size")
        }

        @Test("each input holds its target's property", arguments: FuzzInput.all)
        func replay(input: FuzzInput) throws {
            try input.property().check(input.bytes)
        }
    }
}
