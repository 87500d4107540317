// Swift strings into C: zero-copy, and refused when C would misread them.

import Glibc

// The two `withCheckedCString` overloads differ in what the body throws; the type checker
// chooses by whether the closure declares a thrown error type.
// swift-format-ignore: AmbiguousTrailingClosureOverload
extension String {
    /// Calls `body` with a NUL-terminated UTF-8 copy of the string that C reads exactly
    /// as Swift holds it, or throws when it cannot.
    ///
    /// A Swift `String` may contain U+0000; a C string cannot, and C would silently read
    /// only the part before it. This method refuses such a string with
    /// ``CStringError/interiorNUL(offset:)`` instead. For a native string the pointer is
    /// the string's own storage: nothing is copied or allocated.
    ///
    /// The pointer is valid only during `body`; do not store it or return it. If C keeps
    /// the pointer after the call, use memory you own instead (see the ownership guide).
    ///
    /// - Throws: ``CStringError/interiorNUL(offset:)`` with the UTF-8 offset of the
    ///   first NUL byte. `body` is not called.
    @inlinable
    public func withCheckedCString<R>(
        _ body: (UnsafePointer<CChar>) -> R
    ) throws(CStringError) -> R {
        let expected = utf8.count
        // `withCString` rethrows untyped errors, so the check travels out as a value.
        // SAFETY: the pointer withCString lends is used only inside its closure (below).
        let outcome: Result<R, CStringError> = unsafe withCString { pointer in
            // SAFETY: `withCString` gives a NUL-terminated buffer of `expected` bytes plus
            // the terminator, valid for this closure; strlen stops at the first NUL.
            let measured = unsafe strlen(pointer)
            guard measured == expected else {
                return .failure(.interiorNUL(offset: measured))
            }
            return .success(unsafe body(pointer))
        }
        return try outcome.get()
    }

    /// Calls `body` with a NUL-terminated C string, as ``withCheckedCString(_:)-((UnsafePointer<CChar>)->R)``
    /// does, for bodies that throw their own typed error — so several checked strings nest,
    /// and a C failure inside can throw the caller's error type.
    ///
    /// A string holding a NUL byte throws `E(CStringError.interiorNUL(offset:))`.
    @inlinable
    public func withCheckedCString<R, E: CStringErrorRepresentable>(
        _ body: (UnsafePointer<CChar>) throws(E) -> R
    ) throws(E) -> R {
        let expected = utf8.count
        // SAFETY: the pointer withCString lends is used only inside its closure (below).
        let outcome: Result<R, E> = unsafe withCString { pointer in
            // SAFETY: as in the non-throwing form: a NUL-terminated buffer valid here.
            let measured = unsafe strlen(pointer)
            guard measured == expected else {
                return .failure(E(.interiorNUL(offset: measured)))
            }
            do throws(E) {
                return .success(try unsafe body(pointer))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}

/// An error type that can carry a ``CStringError``, so string checks throw it directly.
public protocol CStringErrorRepresentable: Error {
    /// Wraps a string that could not cross the boundary.
    init(_ error: CStringError)
}

extension CStringError: CStringErrorRepresentable {
    public init(_ error: CStringError) {
        self = error
    }
}
