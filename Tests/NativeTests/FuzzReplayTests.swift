// Every input that ever failed a fuzz target (Tests/FuzzRegressions/TARGET/) and every seed
// (Fuzz/Seeds/TARGET/), replayed through the target's own property
// (Tests/FuzzProperties), so a found bug stays fixed without running the fuzzer.

import Foundation
import FuzzProperties
import PluginKit
import TestSupport
import Testing

/// One saved input of a fuzz target, named by its path in the package.
struct FuzzInput: Sendable, CustomTestStringConvertible {
    let path: String

    var testDescription: String { path }

    var bytes: [UInt8] {
        get throws { try [UInt8](Data(contentsOf: PackagePaths.root.appending(path: path))) }
    }

    /// The target's regressions, then its seeds, in name order.
    static func all(of property: any FuzzProperty.Type) -> [FuzzInput] {
        ["Tests/FuzzRegressions", "Fuzz/Seeds"].flatMap { folder in
            let directory = "\(folder)/\(property.targetName)"
            let names =
                (try? FileManager.default.contentsOfDirectory(
                    atPath: PackagePaths.root.appending(path: directory).path)) ?? []
            return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map {
                FuzzInput(path: "\(directory)/\($0)")
            }
        }
    }
}

extension NativeTests {
    /// Serialized with the rest of libnative's tests: the sized-API property counts the
    /// library's live allocations.
    @Suite("fuzz inputs replayed")
    struct FuzzReplayTests {
        @Test("every target has seeds to replay, and the saved regressions are found")
        func inputsFound() {
            #expect(FuzzInput.all(of: CStringsProperty.self).count >= 61)
            #expect(
                FuzzInput.all(of: SizedAPIsProperty.self).map(\.path).first
                    == "Tests/FuzzRegressions/FuzzSizedAPIs/int-min-size")
            for property: any FuzzProperty.Type in [
                DatabaseModelProperty.self, DBCAPIProperty.self, PluginInputProperty.self,
            ] {
                #expect(!FuzzInput.all(of: property).isEmpty, "\(property.targetName) has no seeds")
            }
        }

        @Test("FuzzCStrings", arguments: FuzzInput.all(of: CStringsProperty.self))
        func cStrings(input: FuzzInput) throws {
            try CStringsProperty().check(input.bytes)
        }

        @Test("FuzzSizedAPIs", arguments: FuzzInput.all(of: SizedAPIsProperty.self))
        func sizedAPIs(input: FuzzInput) throws {
            try SizedAPIsProperty().check(input.bytes)
        }

        @Test("FuzzDatabaseModel", arguments: FuzzInput.all(of: DatabaseModelProperty.self))
        func databaseModel(input: FuzzInput) throws {
            try DatabaseModelProperty().check(input.bytes)
        }

        @Test("FuzzDBCAPI", arguments: FuzzInput.all(of: DBCAPIProperty.self))
        func dbCAPI(input: FuzzInput) throws {
            try DBCAPIProperty().check(input.bytes)
        }

        @Test("FuzzPluginInput", arguments: FuzzInput.all(of: PluginInputProperty.self))
        func pluginInput(input: FuzzInput) throws {
            let library = try PluginLibrary(path: PackagePaths.build.appending(path: "libuppercase-plugin.so").path)
            try PluginInputProperty(library: library).check(input.bytes)
        }
    }
}
