// Swift strings into C: zero-copy, and refused when C would misread them.

// The two `withCheckedCString` overloads differ in what the body throws; the type checker
// chooses by whether the closure declares a thrown error type.
// swift-format-ignore: AmbiguousTrailingClosureOverload
extension String {
    /// Calls `body` with a NUL-terminated UTF-8 copy of the string that C reads exactly
    /// as Swift holds it, or throws when it cannot.
    ///
    /// A Swift `String` may contain U+0000; a C string cannot, and C would silently read
    /// only the part before it. This method refuses such a string with
    /// ``BoundaryError/interiorNUL(offset:)`` instead. For a native string the pointer is
    /// the string's own storage: nothing is copied or allocated.
    ///
    /// The pointer is valid only during `body`; do not store it or return it. If C keeps
    /// the pointer after the call, use memory you own instead (see the ownership guide).
    ///
    /// - Throws: ``BoundaryError/interiorNUL(offset:)`` with the UTF-8 offset of the
    ///   first NUL byte. `body` is not called.
    @inlinable
    public func withCheckedCString<R>(
        _ body: (UnsafePointer<CChar>) -> R
    ) throws(BoundaryError) -> R {
        let expected = utf8.count
        // `withCString` rethrows untyped errors: the refusal leaves as one and is cast back
        // on the error path only, so a successful call builds and copies no Result
        // (string-in-16; docs/BENCHMARKS.md).
        do {
            // SAFETY: the pointer withCString lends is used only inside its closure.
            return try unsafe withCString { pointer in
                // SAFETY: `withCString` gives a NUL-terminated buffer of `expected` bytes
                // plus the terminator, valid for this closure; strlen stops at the first NUL.
                let measured = unsafe LibC.strlen(pointer)
                guard measured == expected else { throw BoundaryError.interiorNUL(offset: measured) }
                return unsafe body(pointer)
            }
        } catch {
            throw Self.refusal(error, as: BoundaryError.self)
        }
    }

    /// Calls `body` with a NUL-terminated C string, as ``withCheckedCString(_:)-((UnsafePointer<CChar>)->R)``
    /// does, for bodies that throw their own typed error — so several checked strings nest,
    /// and a C failure inside can throw the caller's error type.
    ///
    /// A string holding a NUL byte throws `E(BoundaryError.interiorNUL(offset:))`.
    @inlinable
    public func withCheckedCString<R, E: BoundaryErrorRepresentable>(
        _ body: (UnsafePointer<CChar>) throws(E) -> R
    ) throws(E) -> R {
        let expected = utf8.count
        do {
            // SAFETY: the pointer withCString lends is used only inside its closure.
            return try unsafe withCString { pointer in
                // SAFETY: as in the non-throwing form: a NUL-terminated buffer valid here.
                let measured = unsafe LibC.strlen(pointer)
                guard measured == expected else { throw E(.interiorNUL(offset: measured)) }
                return try unsafe body(pointer)
            }
        } catch {
            throw Self.refusal(error, as: E.self)
        }
    }

    /// The typed error that left `withCString` untyped: only `E` is ever thrown inside.
    @usableFromInline
    static func refusal<E: Error>(_ error: any Error, as _: E.Type) -> E {
        guard let typed = error as? E else {
            preconditionFailure("withCString passed on an error that was not thrown inside: \(error)")
        }
        return typed
    }
}
