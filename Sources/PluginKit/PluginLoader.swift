// Loading any native_plugin library — Swift or C — from Swift, with typed errors.

/// A plugin library loaded with `dlopen`, unloaded when the last reference (including
/// every instance it made) ends.
///
/// `Sendable`: after loading, it is never changed; the table it reads is static.
public final class PluginLibrary: Sendable {
    private let library: PluginABI.Library
    /// The plugin's name, from its table.
    public let name: String
    /// The plugin's version, from its table.
    public let version: String

    /// Loads the plugin library at `path` and checks its table against the ABI.
    ///
    /// The library is opened with `RTLD_NODELETE`: the Swift runtime keeps pointers into
    /// a Swift library's metadata, so unloading one would crash the process later.
    /// The corresponding C functions are `dlopen`, `dlsym` and `native_plugin_validate`.
    public init(path: String) throws(PluginError) {
        library = try PluginABI.load(path: path)
        name = library.name
        version = library.version
    }

    /// Creates an instance of the plugin. The corresponding ABI function is `create`.
    ///
    /// - Throws: ``PluginError`` of kind ``PluginError/Kind/refused(_:)`` with the plugin's
    ///   code and message, or of the rule it broke when it returned a value native_plugin.h
    ///   forbids.
    public func makeInstance(configuration: String? = nil) throws(PluginError) -> PluginInstance {
        PluginInstance(try PluginABI.createInstance(of: library, configuration: configuration))
    }
}

/// One instance of a loaded plugin, destroyed exactly once when it ends. It keeps its
/// library loaded. Not `Sendable`: the ABI lets one thread at a time use an instance.
public struct PluginInstance: ~Copyable {
    private let instance: PluginABI.Instance

    init(_ instance: consuming PluginABI.Instance) {
        self.instance = instance
    }

    /// Transforms `input` with the plugin and returns a copy of its output. The
    /// corresponding ABI function is `process`.
    ///
    /// To read the output without copying it, pass a closure: `process(_:_:)` lends it as a
    /// `Span`.
    ///
    /// - Throws: ``PluginError`` of kind ``PluginError/Kind/refused(_:)`` with the plugin's
    ///   code and message, or of the rule it broke when it returned a value native_plugin.h
    ///   forbids.
    public func process(_ input: [UInt8]) throws(PluginError) -> [UInt8] {
        try PluginABI.process(instance, input).bytes
    }

    /// Transforms `input` with the plugin and lends its output to `body`, without copying
    /// it: the span is the plugin's own buffer.
    ///
    /// The span is valid only during `body`; when `body` returns, the plugin's
    /// `free_memory` releases the output. Copy what you keep.
    ///
    /// ```swift
    /// let length = try instance.process(input) { output in output.count }
    /// ```
    ///
    /// The corresponding ABI functions are `process` and `free_memory`.
    ///
    /// - Throws: ``PluginError`` of kind ``PluginError/Kind/refused(_:)`` with the plugin's
    ///   code and message, or of the rule it broke when it returned a value native_plugin.h
    ///   forbids; `body` is not called then.
    // Not @inlinable: with the output's ~Copyable owner in an inlinable body, Swift 6.3.1's
    // optimizer stops on an assertion ("Should never be inlining a resilient function into a
    // fragile function"). Unspecialised, the view still meets plugin-call-view's goal
    // (docs/BENCHMARKS.md).
    public func process<R>(_ input: [UInt8], _ body: (Span<UInt8>) -> R) throws(PluginError) -> R {
        let output = try PluginABI.process(instance, input)
        return output.withSpan(body)
    }
}

@available(*, unavailable, message: "a plugin instance is used by one thread at a time")
extension PluginInstance: Sendable {}
