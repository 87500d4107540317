// Tutorial Example 1: plain calls — a hash, C's strlen and strcmp, an array changed in place.

import SafeFFI

/// The 64-bit FNV-1a hash of `bytes`, computed by libnative.
/// The corresponding C function is `compute_hash`.
public func computeHash(_ bytes: Span<UInt8>) -> UInt64 {
    LibNative.compute_hash(bytes)
}

/// The 64-bit FNV-1a hash of `bytes`. The corresponding C function is `compute_hash`.
public func computeHash(_ bytes: [UInt8]) -> UInt64 {
    computeHash(bytes.span)
}

/// The 64-bit FNV-1a hash of the string's UTF-8 bytes.
/// The corresponding C function is `compute_hash`.
public func computeHash(_ string: String) -> UInt64 {
    var copy = string
    copy.makeContiguousUTF8()
    return computeHash(copy.utf8.span)
}

/// The number of bytes C's `strlen` counts in `string` — its UTF-8 length.
///
/// A string holding a NUL byte, which C would measure short, is refused.
///
/// - Throws: ``NativeError/boundary(_:)`` with
///   `BoundaryError.interiorNUL(offset:)`.
@inlinable
public func cStringLength(_ string: String) throws(NativeError) -> Int {
    try LibNative.strlen(string)
}

/// The result of comparing two strings as C's `strcmp` does: byte by byte, unsigned.
public enum CStringOrder: Sendable, Equatable, CustomStringConvertible {
    /// The first string sorts before the second.
    case less
    /// The strings are equal byte for byte.
    case equal
    /// The first string sorts after the second.
    case greater

    public var description: String {
        switch self {
        case .less: "Less"
        case .equal: "Equal"
        case .greater: "Greater"
        }
    }
}

/// Compares two strings with C's `strcmp`.
///
/// - Throws: ``NativeError/boundary(_:)`` when either string holds a NUL byte.
public func compareCStrings(_ first: String, _ second: String) throws(NativeError) -> CStringOrder {
    let result = try LibNative.strcmp(first, second)
    return result < 0 ? .less : result == 0 ? .equal : .greater
}

/// Doubles each value in place, saturating at `Int32.min` and `Int32.max`.
/// The corresponding C function is `process_array`.
///
/// - Returns: the number of values processed.
/// - Throws: ``NativeError/library(function:code:message:)`` when C refuses the array
///   (more than `Int32.max` elements).
@discardableResult
public func doubleSaturating(_ values: inout MutableSpan<Int32>) throws(NativeError) -> Int {
    let result = LibNative.process_array(&values)
    guard result >= 0 else { throw lastError(of: "process_array") }
    return Int(result)
}

/// Doubles each value in place, saturating. The corresponding C function is `process_array`.
@discardableResult
public func doubleSaturating(_ values: inout [Int32]) throws(NativeError) -> Int {
    var span = values.mutableSpan
    return try doubleSaturating(&span)
}
