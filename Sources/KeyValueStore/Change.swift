// What the change stream reports.

/// A committed change to one key.
public struct Change: Sendable, Equatable, Hashable {
    /// How the key changed.
    public enum Kind: Sendable, Equatable, Hashable {
        case inserted, updated, deleted
    }

    public let kind: Kind
    public let key: String

    public init(kind: Kind, key: String) {
        self.kind = kind
        self.key = key
    }
}
