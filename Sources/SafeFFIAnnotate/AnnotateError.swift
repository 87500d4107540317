// The one error type of the annotator: Clang, a module map or an overrides file it
// cannot use.

/// Why the annotator could not read a C library's headers or its instructions for them.
public struct AnnotateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What could not be used.
    public enum Kind: Equatable, Sendable {
        /// Clang could not be run, or could not read the headers.
        case clang
        /// A module map the annotator cannot use.
        case moduleMap
        /// An overrides file that is not the API-notes form it expects, at `line` (from 1).
        case overrides(line: Int)
    }

    /// What could not be used.
    public let kind: Kind
    /// The problem, for a person.
    public let message: String

    /// An error of `kind` with `message`.
    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message, after the line it is on for an overrides file.
    public var description: String {
        if case .overrides(let line) = kind { return "line \(line): \(message)" }
        return message
    }
}
