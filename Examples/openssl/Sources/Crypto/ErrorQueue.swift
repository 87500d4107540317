// OpenSSL's per-thread error queue, read into CryptoError and left empty.

import COpenSSL

/// Empties this thread's error queue, so that what a call leaves there is its own.
func clearErrors() {
    ERR_clear_error()
}

/// Calls `call` (an OpenSSL function that returns 1 on success) on an empty error queue,
/// and throws what it left there when it returns anything else.
func check(_ function: String, _ call: () -> CInt) throws(CryptoError) {
    clearErrors()
    guard call() == 1 else { throw drainErrors(function) }
}

/// Takes every entry off this thread's error queue, oldest first, with the library's text
/// for each, and returns them as `function`'s error.
func drainErrors(_ function: String) -> CryptoError {
    var entries: [OpenSSLErrorEntry] = []
    while case let code = ERR_get_error(), code != 0 {
        // ERR_error_string_n NUL-terminates within the 256 bytes it is given (the
        // documentation asks for at least 120) and truncates a longer text.
        var text = [CChar](repeating: 0, count: 256)
        var span = text.mutableSpan
        ERR_error_string_n(code, &span)
        let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let message = (try? String(strictUTF8: bytes.span)) ?? "OpenSSL error \(String(code, radix: 16))"
        entries.append(OpenSSLErrorEntry(code: code, message: message))
    }
    return .openssl(function: function, errors: entries)
}
