// The typed error of every fallible Native API, and the one place that reads libnative's
// thread-local last error.

import SafeFFI

/// An error code of libnative's last-error state.
public struct NativeErrorCode: RawRepresentable, Equatable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// An argument the library refused (code 1).
    public static let invalidInput = NativeErrorCode(rawValue: 1)
    /// The library could not allocate memory (code 2).
    public static let outOfMemory = NativeErrorCode(rawValue: 2)
    /// The library's device failed (code 3).
    public static let ioError = NativeErrorCode(rawValue: 3)
    /// An input outside the range the library supports (code 4).
    public static let outOfRange = NativeErrorCode(rawValue: 4)

    /// The library's own name for the code, or "unknown error code N".
    /// The corresponding C function is `get_error_string`.
    public var description: String {
        LibNative.get_error_string(rawValue) ?? "unknown error code \(rawValue)"
    }
}

/// Why a call into libnative failed.
public enum NativeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A value could not cross the boundary, and C was not called: a string holds a NUL
    /// byte, bytes C returned are not UTF-8, or a count does not fit the C parameter.
    case boundary(BoundaryError)
    /// The C function `function` reported a failure: libnative's error code and message.
    case library(function: String, code: NativeErrorCode, message: String)
    /// The C function `function` returned what its header rules out (such as NULL where
    /// it promises a string): the library is broken, and nothing it returned was used.
    case brokenContract(function: String, message: String)

    public var description: String {
        switch self {
        case .boundary(let error): "\(error)"
        case .library(let function, let code, let message): "\(function) failed (\(code)): \(message)"
        case .brokenContract(let function, let message): "\(function) broke its contract: \(message)"
        }
    }
}

/// The calling thread's last error: libnative's code and message.
///
/// Read it right after a call reported failure, on the same thread, with no library call
/// in between — every caller does so synchronously.
func lastErrorState() -> (code: NativeErrorCode, message: String) {
    (NativeErrorCode(rawValue: LibNative.get_last_error()), LibNative.native_last_error_message())
}

/// The failure `function` just reported, as a ``NativeError``.
func lastError(of function: String) -> NativeError {
    let (code, message) = lastErrorState()
    return .library(function: function, code: code, message: message)
}

extension NativeError: BoundaryErrorRepresentable {
    /// Wraps a value that could not cross the boundary.
    public init(_ error: BoundaryError) {
        self = .boundary(error)
    }
}
