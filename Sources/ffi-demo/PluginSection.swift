// Loads the example Swift plugins through PluginKit's loader, as a C host would.

import Foundation
import PluginKit

/// The build folder the demo runs from, and the package it was built from.
private enum Build {
    static let binDirectory = URL(filePath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        .resolvingSymlinksInPath().deletingLastPathComponent()
    static let package = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The plugin library `product`, built now if `swift run ffi-demo` did not build it
    /// (dynamic-library products are not dependencies of the demo).
    static func plugin(_ product: String) throws -> String {
        let library = binDirectory.appending(path: "lib\(product).so")
        if !FileManager.default.fileExists(atPath: library.path) {
            let process = Process()
            process.executableURL = URL(filePath: "/usr/bin/env")
            process.arguments = [
                "swift", "build", "--package-path", package.path,
                "--scratch-path", binDirectory.deletingLastPathComponent().deletingLastPathComponent().path,
                "--configuration", binDirectory.lastPathComponent, "--product", product,
            ]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
        return library.path
    }
}

func pluginExample() {
    do {
        let upper = try PluginLibrary(path: Build.plugin("uppercase-plugin"))
        let shouting = try upper.makeInstance()
        let output = try shouting.process(Array("hello from Swift, loaded like C would".utf8))
        print("\(upper.name) \(upper.version): \(String(decoding: output, as: UTF8.self))")

        let counter = try PluginLibrary(path: Build.plugin("wordcount-plugin"))
        let json = try counter.makeInstance(configuration: "json")
        let counts = try json.process(Array("one two three\nfour five\n".utf8))
        print("\(counter.name) \(counter.version): \(String(decoding: counts, as: UTF8.self))", terminator: "")

        _ = try shouting.process([0x61, 0xFF])
    } catch let error as PluginError {
        printError("Refused by the plugin: \(error)")
    } catch {
        printError("Error: \(error)")
    }
    do {
        _ = try PluginLibrary(path: "/no/such/plugin.so")
    } catch {
        printError("Refused: \(error)")
    }
}
