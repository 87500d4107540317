// Copies in memory from malloc, for C functions that take ownership of what they are given.

/// A copy of `elements` in memory from `malloc`, for a C function that takes ownership of
/// the buffer it is given (and frees it with `free`); `nil` when `malloc` fails. The
/// caller owns the result until it hands it to C, or frees it with `free`.
///
/// An empty span gets a block of one element, uninitialised, so that success is never
/// NULL: the count the caller passes beside the pointer says there is nothing in it.
@inlinable
public func mallocBuffer<Element: BitwiseCopyable>(copying elements: Span<Element>) -> UnsafeMutablePointer<Element>? {
    // SAFETY: ownership of the fresh copy passes to the caller.
    unsafe copyIntoMalloc(elements, terminatedBy: nil)
}

/// A NUL-terminated copy of `bytes` in memory from `malloc`, for a C function that takes
/// ownership of the string it is given (and frees it with `free`); `nil` when `malloc`
/// fails. The caller owns the result until it hands it to C, or frees it with `free`.
///
/// - Throws: ``BoundaryError/interiorNUL(offset:)`` when `bytes` hold a NUL, which C would
///   read as the end of the string. Nothing is allocated.
public func mallocCString(copying bytes: Span<UInt8>) throws(BoundaryError) -> UnsafeMutablePointer<CChar>? {
    for index in bytes.indices where bytes[index] == 0 {
        throw .interiorNUL(offset: index)
    }
    // SAFETY: a fresh copy of the bytes and their terminator, read as CChar (same size,
    // any bit pattern valid).
    return unsafe UnsafeMutableRawPointer(copyIntoMalloc(bytes, terminatedBy: 0))?.assumingMemoryBound(to: CChar.self)
}

/// A NUL-terminated copy of the string's UTF-8 in memory from `malloc`, as
/// ``mallocCString(copying:)-(Span<UInt8>)`` makes.
public func mallocCString(copying string: String) throws(BoundaryError) -> UnsafeMutablePointer<CChar>? {
    var string = string
    string.makeContiguousUTF8()
    // SAFETY: ownership of the fresh copy passes to the caller.
    return try unsafe mallocCString(copying: string.utf8.span)
}

/// The one copy both forms make: `elements`, then `terminator` when there is one, in a
/// fresh block from `malloc` (at least one element long); `nil` when malloc fails.
/// Inlinable, so each use is specialised for its element type: an unspecialised generic
/// copy costs more than the call it serves.
@inlinable
func copyIntoMalloc<Element: BitwiseCopyable>(
    _ elements: Span<Element>, terminatedBy terminator: Element?
) -> UnsafeMutablePointer<Element>? {
    let count = elements.count + (terminator == nil ? 0 : 1)
    // SAFETY: a fresh block of max(count, 1) elements, bound to Element before any access.
    guard
        let copy = unsafe LibC.malloc(max(count, 1) * MemoryLayout<Element>.stride)?
            .bindMemory(to: Element.self, capacity: max(count, 1))
    else { return nil }
    // SAFETY: `copy` has room for the span's elements and the terminator; the span's
    // memory is valid during the closure.
    unsafe elements.withUnsafeBufferPointer { source in
        if let base = source.baseAddress {
            unsafe copy.initialize(from: base, count: source.count)
        }
    }
    if let terminator {
        // SAFETY: the last of the block's `count` elements, after the copied ones.
        unsafe (copy + elements.count).initialize(to: terminator)
    }
    return unsafe copy
}
