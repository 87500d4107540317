// Loading any native_plugin library — Swift or C — from Swift, with typed errors.

/// Why a plugin library could not be used. The message is the line `plugin-host` prints
/// for the same problem (after its `plugin-host: ` prefix).
public struct PluginLoadError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem the library has.
    public enum Reason: Equatable, Hashable, Sendable {
        /// There is no file at the path.
        case missingFile
        /// `dlopen` refused the file (not a shared object, or a missing dependency).
        case notLoadable
        /// The library exports no `native_plugin_entry`.
        case missingEntry
        /// `native_plugin_entry` returned NULL.
        case nullTable
        /// The table breaks the ABI's compatibility rule (version, size, a NULL field, a name
        /// or version that is not one line of UTF-8 text).
        case incompatible
    }

    /// What kind of problem the library has.
    public let reason: Reason
    /// The problem, in the words plugin-host prints.
    public let message: String

    public var description: String { message }
}

/// Why a call into a loaded plugin (`create` or `process`) failed: the plugin refused, or it
/// broke the ABI. The description is what `plugin-host` prints after "could not create an
/// instance: " or "could not process the input: ".
public enum PluginCallError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The plugin refused, with its code and message.
    case failed(PluginFailure)
    /// The plugin handed back a value that native_plugin.h forbids; nothing it returned was used.
    case brokeContract(PluginContractViolation)

    public var description: String {
        switch self {
        case .failed(let failure): failure.description
        case .brokeContract(let violation): violation.description
        }
    }
}

/// A value that `create` or `process` handed back and native_plugin.h forbids, as found by
/// the header's own checks (`native_plugin_check_create`, `native_plugin_check_process`),
/// which `plugin-host` runs too.
public struct PluginContractViolation: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The rule the plugin broke.
    public enum Rule: Equatable, Hashable, Sendable {
        /// `create` returned OK but no instance (`NATIVE_PLUGIN_CREATE_NO_INSTANCE`).
        case createReturnedNoInstance
        /// `create` returned OK and an error message (`NATIVE_PLUGIN_CREATE_MESSAGE_ON_SUCCESS`).
        case createReturnedMessageOnSuccess
        /// `create` failed with a message that is not UTF-8 (`NATIVE_PLUGIN_CREATE_MESSAGE_NOT_UTF8`).
        case createMessageNotUTF8
        /// `process` returned OK, a non-zero length and no output (`NATIVE_PLUGIN_PROCESS_NULL_OUTPUT`).
        case processReturnedNullOutput
        /// `process` returned a length over `NATIVE_PLUGIN_OUTPUT_LIMIT`, 1 GiB
        /// (`NATIVE_PLUGIN_PROCESS_OUTPUT_TOO_LONG`).
        case processOutputTooLong
        /// `process` returned OK and an error message (`NATIVE_PLUGIN_PROCESS_MESSAGE_ON_SUCCESS`).
        case processReturnedMessageOnSuccess
        /// `process` failed with a message that is not UTF-8 (`NATIVE_PLUGIN_PROCESS_MESSAGE_NOT_UTF8`).
        case processMessageNotUTF8
    }

    /// The rule the plugin broke.
    public let rule: Rule
    /// The rule, in the words of `native_plugin_check_message`, which plugin-host prints.
    public let message: String

    public var description: String { message }
}

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
    public init(path: String) throws(PluginLoadError) {
        library = try PluginABI.load(path: path)
        name = library.name
        version = library.version
    }

    /// Creates an instance of the plugin. The corresponding ABI function is `create`.
    ///
    /// - Throws: ``PluginCallError/failed(_:)`` with the plugin's code and message, or
    ///   ``PluginCallError/brokeContract(_:)`` when it returned a value native_plugin.h forbids.
    public func makeInstance(configuration: String? = nil) throws(PluginCallError) -> PluginInstance {
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
    /// - Throws: ``PluginCallError/failed(_:)`` with the plugin's code and message, or
    ///   ``PluginCallError/brokeContract(_:)`` when it returned a value native_plugin.h forbids.
    public func process(_ input: [UInt8]) throws(PluginCallError) -> [UInt8] {
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
    /// - Throws: ``PluginCallError/failed(_:)`` with the plugin's code and message, or
    ///   ``PluginCallError/brokeContract(_:)`` when it returned a value native_plugin.h
    ///   forbids; `body` is not called then.
    // Not @inlinable: with the output's ~Copyable owner in an inlinable body, Swift 6.3.1's
    // optimizer stops on an assertion ("Should never be inlining a resilient function into a
    // fragile function"). Unspecialised, the view still meets plugin-call-view's goal
    // (docs/BENCHMARKS.md).
    public func process<R>(_ input: [UInt8], _ body: (Span<UInt8>) -> R) throws(PluginCallError) -> R {
        let output = try PluginABI.process(instance, input)
        return output.withSpan(body)
    }

    /// Transforms `input` with the plugin and lends its output to `body`, as the
    /// non-throwing `process(_:_:)` does, for a `body` that throws its own typed error: the
    /// plugin's failure reaches the caller as `E(PluginCallError)`, and `body`'s error as it
    /// was thrown.
    ///
    /// The span is valid only during `body`; the plugin's `free_memory` releases the output
    /// when `body` returns or throws.
    ///
    /// The corresponding ABI functions are `process` and `free_memory`.
    ///
    /// - Throws: `E(PluginCallError)` when the plugin fails or breaks the ABI (`body` is not
    ///   called then); whatever `body` throws.
    public func process<R, E: PluginCallErrorRepresentable>(
        _ input: [UInt8], _ body: (Span<UInt8>) throws(E) -> R
    ) throws(E) -> R {
        let output: PluginABI.Output
        do {
            output = try PluginABI.process(instance, input)
        } catch {
            throw E(error)
        }
        return try output.withSpan(body)
    }
}

/// An error type that can carry a ``PluginCallError``, so a plugin call whose `body` throws
/// this type reports the plugin's failures in it too.
public protocol PluginCallErrorRepresentable: Error {
    /// Wraps a failure of the plugin call.
    init(_ error: PluginCallError)
}

extension PluginCallError: PluginCallErrorRepresentable {
    /// The error itself.
    public init(_ error: PluginCallError) { self = error }
}

@available(*, unavailable, message: "a plugin instance is used by one thread at a time")
extension PluginInstance: Sendable {}
