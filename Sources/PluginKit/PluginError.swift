// The one error type of a plugin's host: loading its library, or a call into it.

import SafeFFI

/// Why a plugin could not be used: its library could not be loaded, the plugin refused a
/// call, or it handed back a value native_plugin.h forbids.
///
/// ``message`` is the line `plugin-host` prints for the same problem (after its
/// `plugin-host: ` prefix, and for calls after "could not create an instance: " or
/// "could not process the input: "); ``kind`` is what a program tests.
public struct PluginError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, one case for each way the ABI lets a plugin fail or break.
    public enum Kind: Equatable, Hashable, Sendable {
        // Loading the library.

        /// A path or a configuration holds a NUL byte, which C would read as its end; the
        /// plugin was not called.
        case boundary(BoundaryError)
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

        // A call the plugin refused.

        /// `create` or `process` failed with the ABI's error `code`; ``PluginError/message``
        /// is the plugin's own message.
        case refused(PluginFailure.Code)

        // A value the ABI forbids, as native_plugin.h's own checks find it
        // (`native_plugin_check_create`, `native_plugin_check_process`), which plugin-host
        // runs too. Nothing the plugin returned is used.

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

    /// What went wrong.
    public let kind: Kind
    /// The problem, in the words plugin-host prints: for ``Kind/refused(_:)`` the plugin's
    /// message, for a broken rule `native_plugin_check_message`'s, for a library the path
    /// and what is wrong with it.
    public let message: String

    /// Creates an error of `kind` with `message`.
    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// The refusal a plugin reported: its code and its message.
    public init(refusal: PluginFailure) {
        self.init(.refused(refusal.code), message: refusal.message)
    }

    /// The line plugin-host prints: the message, and for a refusal the ABI's code after it.
    public var description: String {
        if case .refused(let code) = kind { return PluginFailure(code, message).description }
        return message
    }
}
