// An example plugin: upper-cases UTF-8 text, and refuses input that is not UTF-8.

import PluginKit

/// Upper-cases its input. Configuration: nil or "unicode" (every letter), "ascii" (a–z only).
public final class UpperCasePlugin: Plugin {
    public static let name = "uppercase"
    public static let version = "1.0.0"

    private let asciiOnly: Bool

    public init(configuration: String?) throws(PluginFailure) {
        switch configuration ?? "unicode" {
        case "unicode": asciiOnly = false
        case "ascii": asciiOnly = true
        case let other:
            throw PluginFailure(.invalidConfiguration, "unknown mode '\(other)' (use 'unicode' or 'ascii')")
        }
    }

    public func process(_ input: Span<UInt8>) throws(PluginFailure) -> [UInt8] {
        let text: String
        do {
            text = try String(strictUTF8: input)
        } catch {
            guard case .invalidUTF8(let offset) = error else { preconditionFailure("unreachable: \(error)") }
            throw PluginFailure(.invalidInput, "the input is not UTF-8 (invalid byte at offset \(offset))")
        }
        if asciiOnly {
            return text.utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
        }
        return Array(text.uppercased().utf8)
    }
}

@c(native_plugin_entry)
public func nativePluginEntry() -> UnsafeRawPointer {
    PluginExport.table(for: UpperCasePlugin.self)
}
