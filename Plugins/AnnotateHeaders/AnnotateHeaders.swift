// `swift package annotate-headers`: runs safe-ffi-annotate on the module map of each C
// target named (a system library, or a C target with its own module.modulemap) and writes
// MODULE.apinotes beside the module map, from the headers and MODULE.overrides.yaml there.

import Foundation
import PackagePlugin

@main
struct AnnotateHeaders: CommandPlugin {
    static let usage = """
        usage: swift package --allow-writing-to-package-directory annotate-headers
                             --target NAME [--target NAME ...] [--check] [--header HEADER ...]
                             [-- CLANG-ARGUMENTS]
          --target NAME    a system library target, or a C target whose public headers
                           folder has a module.modulemap
          --check          write nothing; fail when a target's MODULE.apinotes is not what
                           the headers and its overrides give
          --header HEADER  only these of the module's headers (as the notes name them)
        """

    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let names = extractor.extractOption(named: "target")
        let check = extractor.extractFlag(named: "check") > 0
        let headers = extractor.extractOption(named: "header")
        if extractor.extractFlag(named: "help") > 0 {
            print(Self.usage)
            return
        }
        let unknown = extractor.unextractedOptionsOrFlags
        guard unknown.isEmpty else {
            throw AnnotateError("unknown arguments: \(unknown.joined(separator: " "))\n\(Self.usage)")
        }
        let clangArguments = extractor.remainingArguments
        guard !names.isEmpty else { throw AnnotateError("name at least one --target\n\(Self.usage)") }

        let tool = try context.tool(named: "safe-ffi-annotate")
        for target in try context.package.targets(named: names) {
            let (moduleMap, flags) = try Self.moduleMap(of: target)
            let directory = moduleMap.deletingLastPathComponent()
            // A system library's module is named after its target (SwiftPM requires it).
            let module = (target as? SourceModuleTarget)?.moduleName ?? target.name
            var toolArguments = ["--module-map", moduleMap.path, "--module", module]
            toolArguments += headers.flatMap { ["--header", $0] }
            let overrides = directory.appending(path: "\(module).overrides.yaml")
            if FileManager.default.fileExists(atPath: overrides.path) {
                toolArguments += ["--overrides", overrides.path]
            }
            if check {
                toolArguments += ["--output", directory.path, "--check"]
            } else {
                // The notes go beside the module map, where Clang reads them; the report, for a
                // person, goes to the plugin's work folder.
                toolArguments += ["--output", context.pluginWorkDirectoryURL.appending(path: module).path]
            }
            let clang = flags + clangArguments
            if !clang.isEmpty { toolArguments += ["--"] + clang }
            try Self.run(tool.url, toolArguments)
            if !check {
                let written = context.pluginWorkDirectoryURL.appending(path: module).appending(
                    path: "\(module).apinotes")
                let destination = directory.appending(path: "\(module).apinotes")
                try? FileManager.default.removeItem(at: destination)
                try FileManager.default.copyItem(at: written, to: destination)
                print("wrote \(destination.path)")
                print(
                    "report: \(context.pluginWorkDirectoryURL.appending(path: module).appending(path: "\(module)-annotations.md").path)"
                )
            }
        }
    }

    /// The module map of a C target, and the Clang flags its headers need (pkg-config's,
    /// the target's own defines and search paths).
    static func moduleMap(of target: any Target) throws -> (URL, [String]) {
        if let library = target as? SystemLibraryTarget {
            let map = library.directoryURL.appending(path: "module.modulemap")
            guard FileManager.default.fileExists(atPath: map.path) else {
                throw AnnotateError("\(target.name): no module.modulemap in \(library.directoryURL.path)")
            }
            return (map, library.compilerFlags.filter { $0.hasPrefix("-I") || $0.hasPrefix("-D") })
        }
        if let clang = target as? ClangSourceModuleTarget {
            guard let include = clang.publicHeadersDirectoryURL else {
                throw AnnotateError("\(target.name) has no public headers")
            }
            let map = include.appending(path: "module.modulemap")
            guard FileManager.default.fileExists(atPath: map.path) else {
                throw AnnotateError(
                    "\(target.name): SwiftPM writes its module map in the build folder, where Clang would not find the notes; add \(map.path) (a module map naming its headers) to annotate it"
                )
            }
            let flags =
                clang.preprocessorDefinitions.map { "-D" + $0 }
                + clang.headerSearchPaths.map { "-I" + clang.directoryURL.appending(path: $0).path }
            return (map, flags)
        }
        throw AnnotateError("\(target.name) is not a C target: name a system library or a C target")
    }

    /// Runs the tool; its diagnostics become the error, which SwiftPM shows on its own
    /// standard error (a plugin's child writing there directly can go unseen).
    static func run(_ tool: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = diagnostics.trimmingCharacters(in: .whitespacesAndNewlines)
            throw AnnotateError(text.isEmpty ? "safe-ffi-annotate failed (exit \(process.terminationStatus))" : text)
        }
    }
}

struct AnnotateError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
