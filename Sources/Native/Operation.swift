// Tutorial Example 6: an operation that reports failure through a code.

import SafeFFI

/// Runs libnative's operation: twice `input` on success.
/// The corresponding C functions are `perform_operation`, `get_last_error` and
/// `get_error_string`.
///
/// - Throws: ``NativeError/library(function:code:message:)`` with the code the library
///   reports (``NativeErrorCode/invalidInput``, ``NativeErrorCode/outOfMemory``,
///   ``NativeErrorCode/ioError`` or ``NativeErrorCode/outOfRange``) and its message.
@inlinable
public func performOperation(_ input: Int32) throws(NativeError) -> Int32 {
    let result = LibNative.perform_operation(input)
    guard result < 0 else { return result }
    throw operationError()
}

/// The thread's last error, right after perform_operation failed: out of line, so the
/// success path of the inlined caller carries only the branch.
@usableFromInline
func operationError() -> NativeError {
    lastError(of: "perform_operation")
}
