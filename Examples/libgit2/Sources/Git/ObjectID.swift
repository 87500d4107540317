// Object ids: the 20 bytes of a SHA-1, printed as 40 hexadecimal digits.

/// The id of a git object (a blob, a tree, a commit).
public struct ObjectID: Hashable, Sendable, CustomStringConvertible {
    /// The 20 bytes.
    public let bytes: [UInt8]

    init(bytes: [UInt8]) {
        precondition(bytes.count == 20, "an object id has 20 bytes")
        self.bytes = bytes
    }

    /// The id that `hex` spells (40 hexadecimal digits), or `nil`.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 40 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 40, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        self.init(bytes: bytes)
    }

    /// 40 lowercase hexadecimal digits, as `git` prints ids.
    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// Who made a commit, and when.
public struct Signature: Hashable, Sendable {
    /// The person's name, as git records it (no NUL byte).
    public var name: String
    /// Their e-mail address (no NUL byte).
    public var email: String
    /// Seconds since 1970-01-01 UTC.
    public var time: Int64
    /// The time zone's offset from UTC, in minutes.
    public var offsetMinutes: Int32

    /// A signature of `name` and `email` at `time`, in the time zone `offsetMinutes` from UTC.
    public init(name: String, email: String, time: Int64, offsetMinutes: Int32 = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }
}

/// A file's state in the working directory or the index (`git_status_t` bits).
public struct StatusFlags: OptionSet, Hashable, Sendable {
    /// The `git_status_t` bits.
    public let rawValue: UInt32
    /// Flags from `git_status_t` bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// In the index, not in HEAD.
    public static let indexNew = StatusFlags(rawValue: 1 << 0)
    /// Changed in the index.
    public static let indexModified = StatusFlags(rawValue: 1 << 1)
    /// In the working directory, not in the index.
    public static let workingTreeNew = StatusFlags(rawValue: 1 << 7)
    /// Changed in the working directory.
    public static let workingTreeModified = StatusFlags(rawValue: 1 << 8)
    /// Gone from the working directory.
    public static let workingTreeDeleted = StatusFlags(rawValue: 1 << 9)
}

/// One file `status` reports.
public struct StatusEntry: Hashable, Sendable {
    /// The path, relative to the working directory.
    public let path: String
    /// How it differs.
    public let flags: StatusFlags
}

/// One file a diff between two trees reports.
public struct DiffFile: Hashable, Sendable {
    /// What happened to it.
    public enum Change: Hashable, Sendable {
        case added, deleted, modified, renamed, copied, typeChanged
        case other(UInt32)
    }

    public let oldPath: String
    public let newPath: String
    public let change: Change

    public init(oldPath: String, newPath: String, change: Change) {
        self.oldPath = oldPath
        self.newPath = newPath
        self.change = change
    }
}
