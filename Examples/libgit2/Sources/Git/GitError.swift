// What can go wrong, typed: libgit2's status code, error class and message; a value that
// cannot cross to or from libgit2; a result libgit2 promised and did not give.

import SafeFFI

/// Why a libgit2 call failed.
public enum GitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libgit2 reported failure: its result, a `git_error_code` such as `GIT_ENOTFOUND`
    /// (-3); the `git_error_t` class of `git_error_last`, such as `GIT_ERROR_REPOSITORY`
    /// (6), 0 when libgit2 set none; and its message.
    case library(function: String, code: Int32, errorClass: Int32, message: String)
    /// `value` (such as "a path") could not cross: a string passed holds a NUL byte, so
    /// libgit2 was not called, or text it returned is not UTF-8, so it was not repaired.
    case boundary(function: String, value: String, BoundaryError)
    /// libgit2 reported success without the object it promises.
    case missingResult(function: String)

    /// The C function that failed, such as `"git_repository_open"`.
    public var function: String {
        switch self {
        case .library(let function, _, _, _), .boundary(let function, _, _), .missingResult(let function): function
        }
    }

    public var description: String {
        switch self {
        case .library(let function, let code, _, let message): "\(function) failed (\(code)): \(message)"
        case .boundary(let function, let value, .invalidUTF8(let offset)):
            "\(function): \(value) is not UTF-8 (invalid byte at offset \(offset))"
        case .boundary(let function, let value, .interiorNUL(let offset)):
            "\(function): \(value) holds a NUL byte at offset \(offset); libgit2 would read it cut short"
        case .boundary(let function, let value, let error): "\(function): \(value): \(error)"
        case .missingResult(let function): "\(function) reported success and returned no object"
        }
    }
}
