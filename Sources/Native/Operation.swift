// Tutorial Example 6: an operation that reports failure through a code.

import SafeFFI

/// Why ``performOperation(_:)`` failed: the library's three documented codes, and any
/// other code it returns — with the library's own message, so nothing is lost.
public enum OperationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Code 1: the input was refused; `message` says why.
    case invalidInput(message: String)
    /// Code 2: the library ran out of memory.
    case outOfMemory(message: String)
    /// Code 3: the library's device failed.
    case ioError(message: String)
    /// Any other code; `name` is the library's name for
    /// it (`get_error_string`), `nil` when the library has none.
    case unrecognized(code: Int32, name: String?, message: String)

    /// The library's error code.
    public var code: Int32 {
        switch self {
        case .invalidInput: 1
        case .outOfMemory: 2
        case .ioError: 3
        case .unrecognized(let code, _, _): code
        }
    }

    public var description: String {
        switch self {
        case .invalidInput(let message): "Invalid input: \(message)"
        case .outOfMemory(let message): "Out of memory: \(message)"
        case .ioError(let message): "I/O error: \(message)"
        case .unrecognized(let code, let name, let message):
            "Error \(code) (\(name ?? "unknown to the library")): \(message)"
        }
    }
}

/// Runs libnative's operation: twice `input` on success.
/// The corresponding C functions are `perform_operation`, `get_last_error` and
/// `get_error_string`.
///
/// - Throws: an ``OperationError`` for each code the library reports.
@inlinable
public func performOperation(_ input: Int32) throws(OperationError) -> Int32 {
    let result = LibNative.performOperation(input)
    guard result < 0 else { return result }
    throw operationError()
}

/// The thread's last error as an ``OperationError``, right after perform_operation failed.
@usableFromInline
func operationError() -> OperationError {
    let (code, message) = lastErrorState()
    switch code {
    case .invalidInput: return .invalidInput(message: message)
    case .outOfMemory: return .outOfMemory(message: message)
    case .ioError: return .ioError(message: message)
    default:
        return .unrecognized(code: code.rawValue, name: LibNative.errorString(code.rawValue), message: message)
    }
}
