// What can go wrong, typed: libgit2's status code, error class and message.

import SafeFFI

/// A libgit2 call that failed, with what `git_error_last` said about it.
public struct GitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The C function that failed, such as `"git_repository_open"`.
    public let function: String
    /// Its result, a `git_error_code` such as `GIT_ENOTFOUND` (-3).
    public let code: Int32
    /// The `git_error_t` class of the last error, such as `GIT_ERROR_REPOSITORY` (6); 0
    /// when libgit2 set none.
    public let errorClass: Int32
    /// libgit2's message, such as "could not find repository at '/tmp/x'".
    public let message: String

    /// An error of `function`, with libgit2's code, class and message.
    public init(function: String, code: Int32, errorClass: Int32, message: String) {
        self.function = function
        self.code = code
        self.errorClass = errorClass
        self.message = message
    }

    public var description: String { "\(function) failed (\(code)): \(message)" }
}
