// What the change stream reports.

/// A committed change to one key.
public struct Change: Sendable, Equatable, Hashable {
    /// How the key changed.
    public enum Kind: Sendable, Equatable, Hashable {
        /// The key did not exist and was set.
        case inserted
        /// The key existed and its value was replaced.
        case updated
        /// The key was deleted.
        case deleted
    }

    /// How the key changed.
    public let kind: Kind
    /// The key that changed.
    public let key: String

    /// Creates a change record.
    public init(kind: Kind, key: String) {
        self.kind = kind
        self.key = key
    }
}
