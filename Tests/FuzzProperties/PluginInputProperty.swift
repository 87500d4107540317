// Arbitrary input through the uppercase plugin's C table, loaded with PluginLibrary as any
// host would: the output is the upper-cased text, or the input is refused as not UTF-8 —
// never a crash, never a truncation.

import PluginKit

public struct PluginInputProperty: FuzzProperty, Sendable {
    public static let targetName = "FuzzPluginInput"

    private let library: PluginLibrary

    /// - Parameter library: the uppercase example plugin, loaded.
    public init(library: PluginLibrary) {
        self.library = library
    }

    public func check(_ input: [UInt8]) throws(PropertyViolation) {
        let instance = try makeInstance()
        let text = String(validating: input, as: UTF8.self)
        switch Result(catching: { () throws(PluginError) in try instance.process(input) }) {
        case .success(let output):
            guard let text else { throw PropertyViolation("input that is not UTF-8 was accepted") }
            try require(output == Array(text.uppercased().utf8), "\(text.debugDescription) became \(output)")
        case .failure(let error) where error.kind == .refused(.invalidInput):
            try require(text == nil, "valid UTF-8 was refused: \(error)")
        case .failure(let error):
            throw PropertyViolation("the plugin failed with \(error)")
        }
    }

    private func makeInstance() throws(PropertyViolation) -> PluginInstance {
        do {
            return try library.makeInstance()
        } catch {
            throw PropertyViolation("the plugin's create failed: \(error)")
        }
    }
}
