// An example plugin: counts lines, words and bytes, like wc.

import PluginKit

/// Counts its input. Configuration: nil or "text" ("lines words bytes\n"), "json".
public final class WordCountPlugin: Plugin {
    public static let name = "wordcount"
    public static let version = "1.0.0"

    private let json: Bool

    public init(configuration: String?) throws(PluginFailure) {
        switch configuration ?? "text" {
        case "text": json = false
        case "json": json = true
        case let other:
            throw PluginFailure(.invalidConfiguration, "unknown format '\(other)' (use 'text' or 'json')")
        }
    }

    public func process(_ input: Span<UInt8>) throws(PluginFailure) -> [UInt8] {
        var lines = 0
        var words = 0
        var inWord = false
        for index in input.indices {
            let byte = input[index]
            let isSpace = byte == 0x20 || (0x09...0x0D).contains(byte)
            if byte == 0x0A { lines += 1 }
            if !isSpace && !inWord { words += 1 }
            inWord = !isSpace
        }
        let report =
            json
            ? "{\"lines\":\(lines),\"words\":\(words),\"bytes\":\(input.count)}\n"
            : "\(lines) \(words) \(input.count)\n"
        return Array(report.utf8)
    }
}

@c(native_plugin_entry)
public func nativePluginEntry() -> UnsafeRawPointer {
    PluginExport.table(for: WordCountPlugin.self)
}
