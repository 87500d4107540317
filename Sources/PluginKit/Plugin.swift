// Writing a plugin in Swift for the C plugin ABI (native_plugin.h).

/// Why a plugin refused: a code from the ABI and a message for a person.
public struct PluginFailure: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The ABI's error code: 1 invalid configuration, 2 invalid input, 3 internal.
    public struct Code: RawRepresentable, Equatable, Hashable, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// The configuration is refused (`NATIVE_PLUGIN_ERROR_INVALID_CONFIG`).
        public static let invalidConfiguration = Code(rawValue: 1)
        /// The input is refused (`NATIVE_PLUGIN_ERROR_INVALID_INPUT`).
        public static let invalidInput = Code(rawValue: 2)
        /// Anything else (`NATIVE_PLUGIN_ERROR_INTERNAL`).
        public static let `internal` = Code(rawValue: 3)
    }

    /// The ABI's error code.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String

    /// Creates a failure with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (error \(code.rawValue))" }
}

/// A plugin written in Swift. Export it from its library with one function:
///
/// ```swift
/// @c(native_plugin_entry)
/// public func nativePluginEntry() -> UnsafeRawPointer {
///     PluginExport.table(for: UpperCasePlugin.self)
/// }
/// ```
///
/// Every failure is a ``PluginFailure`` with a code and message, which the export turns
/// into the ABI's code and a message the host frees: no Swift error crosses into C.
/// An instance is used by one thread at a time.
public protocol Plugin: AnyObject {
    /// The plugin's name, as hosts show it: 1 to 255 bytes of UTF-8 and no control
    /// characters, or hosts refuse the plugin (native_plugin.h).
    static var name: String { get }
    /// The plugin's version, held to the same rule as the name.
    static var version: String { get }
    /// Creates an instance from a configuration string (`nil` for the default).
    init(configuration: String?) throws(PluginFailure)
    /// Transforms an input into an output.
    func process(_ input: Span<UInt8>) throws(PluginFailure) -> [UInt8]
}
