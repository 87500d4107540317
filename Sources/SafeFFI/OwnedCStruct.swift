// A C struct that the caller allocates and C initialises and tears down (zlib's z_stream
// with deflateInit and deflateEnd): Swift owns the memory, at an address that never moves.

/// A C struct in memory Swift owns, at a stable address, set up by a C init function and
/// torn down by its end function exactly once.
///
/// Many C libraries keep their state in a struct the caller provides and then keep
/// pointers into it (zlib's `z_stream` points back at itself through its internal state),
/// so the struct must not move while it is in use: a Swift `var` may. `OwnedCStruct`
/// allocates the struct on the heap, zero-filled (what such APIs expect in fields the
/// caller does not set), runs the init function once, and runs the end function once when
/// the owner ends. It is `~Copyable`, so no copy can end the struct twice, and not
/// `Sendable`, since C state is rarely thread-safe.
///
/// ```swift
/// var stream = try OwnedCStruct<z_stream>(
///     initialize: { (z) throws(ZlibError) in try check(unsafe deflateInit_(z, level, version, size)) },
///     end: { unsafe _ = deflateEnd($0) })
/// ```
@safe
public struct OwnedCStruct<Value: BitwiseCopyable>: ~Copyable {
    // SAFETY (invariant): `pointer` holds one initialised `Value`, owned by this value
    // from init to deinit, which ends and frees it once.
    private let pointer: UnsafeMutablePointer<Value>
    private let end: (UnsafeMutablePointer<Value>) -> Void

    /// Allocates a zero-filled `Value` and runs `initialize` on it.
    ///
    /// When `initialize` throws, `end` is not run (the struct was never set up) and the
    /// memory is released before the error propagates.
    ///
    /// - Parameters:
    ///   - initialize: the C init function, called once with the struct's address.
    ///   - end: the C end function, called once when the owner ends, with the same address.
    ///     It must not fail; report nothing from it.
    /// - Throws: what `initialize` throws.
    ///
    /// `@safe`: the pointer reaches only the two closures, where any use of it is itself
    /// marked `unsafe`; the memory's lifetime and the single end are this type's guarantee.
    @safe
    public init<E: Error>(
        initialize: (UnsafeMutablePointer<Value>) throws(E) -> Void,
        end: @escaping (UnsafeMutablePointer<Value>) -> Void
    ) throws(E) {
        // A struct with no bytes (an empty enum, `Never`) has no value to own or read.
        precondition(MemoryLayout<Value>.size > 0, "OwnedCStruct needs a C struct with at least one byte")
        // SAFETY: fresh memory, sized and aligned for one Value; every byte is set to zero
        // before it is bound, and all-zero bytes are a valid BitwiseCopyable C struct.
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: MemoryLayout<Value>.size, alignment: MemoryLayout<Value>.alignment)
        unsafe raw.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<Value>.size)
        let pointer = unsafe raw.bindMemory(to: Value.self, capacity: 1)
        do {
            try unsafe initialize(pointer)
        } catch {
            // SAFETY: never handed to `end`; nothing else holds it.
            unsafe pointer.deallocate()
            throw error
        }
        unsafe self.pointer = pointer
        unsafe self.end = end
    }

    deinit {
        // SAFETY: the one end and the one free; no borrow of the owner is running.
        unsafe end(pointer)
        unsafe pointer.deallocate()
    }

    /// A copy of the struct's fields as they are now, for reading counters such as
    /// `total_out`.
    public var value: Value {
        // SAFETY: `pointer` holds an initialised Value for the owner's whole life.
        unsafe pointer.pointee
    }

    /// Calls `body` with the struct's address, for passing it to C. The address is the
    /// same on every call; the memory stays valid until the owner ends, but `body` must
    /// not keep the pointer or call the end function.
    ///
    /// `mutating`: the owner is exclusively accessed while C works on the struct.
    public mutating func withUnsafeMutablePointer<Result: ~Copyable, E: Error>(
        _ body: (UnsafeMutablePointer<Value>) throws(E) -> Result
    ) throws(E) -> Result {
        // SAFETY: the invariant above; the owner cannot end during this call.
        try unsafe body(pointer)
    }
}

@available(*, unavailable, message: "C state is not thread-safe unless its library says so")
extension OwnedCStruct: Sendable {}
