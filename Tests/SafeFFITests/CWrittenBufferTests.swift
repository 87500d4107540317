import CSafeFFIFixture
import SafeFFI
import Testing

/// The error these tests' C calls throw: it carries the toolkit's errors, as a library's
/// own error type would.
enum FixtureError: Error, Equatable, BoundaryErrorRepresentable {
    case boundary(BoundaryError)
    case refused(Int)

    init(_ error: BoundaryError) { self = .boundary(error) }
}

/// Copies `text` with fixture_copy_text into a buffer of `capacity` bytes, retrying with the
/// size C asks for unless it is above `limit`.
func copyOut(_ text: String, capacity: Int, limit: Int = 1 << 20) throws(FixtureError) -> [UInt8] {
    // SAFETY: the buffer is lent for the closure only; see inside.
    try unsafe [UInt8](cWritingUpTo: capacity) { (buffer) throws(FixtureError) in
        var length = buffer.count
        // SAFETY: C writes at most `length` bytes into the buffer (its contract) and reads
        // the NUL-terminated copy of `text`, valid during the call.
        let status = unsafe fixture_copy_text(text, buffer.baseAddress, &length)
        if status == 0 { return .wrote(length) }
        guard length <= limit else { throw .refused(length) }
        return .needsCapacity(length)
    }
}

@Suite("C writing into a caller's buffer")
struct CWrittenBufferTests {
    @Test("the bytes C wrote, and none past them")
    func exactBytes() throws {
        #expect(try copyOut("hello", capacity: 64) == Array("hello".utf8))
        #expect(try copyOut("", capacity: 8) == [])
    }

    @Test("too small: one more call, with the capacity C asked for")
    func retriesOnce() throws {
        let before = fixture_write_calls()
        #expect(try copyOut("a longer text", capacity: 4) == Array("a longer text".utf8))
        #expect(fixture_write_calls() - before == 2)
    }

    @Test("capacity 0 is a valid first guess")
    func zeroCapacity() throws {
        #expect(try copyOut("xyz", capacity: 0) == Array("xyz".utf8))
    }

    @Test("the body refuses a capacity it will not allocate, with its own error")
    func bodyRefuses() {
        #expect(throws: FixtureError.refused(13)) { try copyOut("a longer text", capacity: 4, limit: 8) }
    }

    @Test("a String decoded strictly from what C wrote")
    func string() throws {
        // SAFETY: the buffer is lent for the closure only; see inside.
        let text = try unsafe String(cWritingUpTo: 2) { (buffer) throws(FixtureError) in
            var length = buffer.count
            // SAFETY: as in copyOut.
            let status = unsafe fixture_copy_text("héllo", buffer.baseAddress, &length)
            return status == 0 ? .wrote(length) : .needsCapacity(length)
        }
        #expect(text == "héllo")
    }

    @Test("bytes that are not UTF-8 throw the caller's error with the offset")
    func invalidText() {
        #expect(throws: FixtureError.boundary(.invalidUTF8(offset: 2))) {
            // SAFETY: the buffer is lent for the closure only; see inside.
            try unsafe String(cWritingUpTo: 16) { (buffer) throws(FixtureError) in
                var length = buffer.count
                // SAFETY: as in copyOut; the fixture's malformed string 0 is "ab\xC3(".
                let status = unsafe fixture_copy_text(fixture_malformed_string(0), buffer.baseAddress, &length)
                return status == 0 ? .wrote(length) : .needsCapacity(length)
            }
        }
    }

    @Test("a count C reports past the buffer stops the process")
    func overrunTraps() async {
        await #expect(processExitsWith: .failure) {
            // SAFETY: the buffer is not touched; the false count is the behaviour under test.
            _ = unsafe [UInt8](cWritingUpTo: 4) { _ in .wrote(5) }
        }
    }

    @Test("a retry that does not grow the buffer stops the process")
    func retryMustGrow() async {
        await #expect(processExitsWith: .failure) {
            // SAFETY: the buffer is not touched.
            _ = unsafe [UInt8](cWritingUpTo: 4) { _ in .needsCapacity(4) }
        }
    }
}

@Suite("Contiguous memory as a C pointer and length")
struct CArgumentTests {
    @Test("a Span's pointer and its count in C's own length type")
    func spanArgument() throws {
        let bytes: [UInt8] = [1, 2, 3, 250]
        // SAFETY: the pointer is lent for the closure only; see inside.
        let sum = try unsafe bytes.span.withCArgument { (start, length: UInt16) throws(FixtureError) in
            // SAFETY: `start` holds `length` bytes during this closure.
            unsafe fixture_sum_bytes(start, length)
        }
        #expect(sum == 256)
    }

    @Test("an empty span gives C a non-NULL pointer and length 0")
    func emptySpan() throws {
        // SAFETY: the pointer is lent for the closure only; see inside.
        let nonNull = try unsafe [UInt8]().span.withCArgument {
            (start, length: UInt16) throws(BoundaryError) in
            // SAFETY: the pointer is only compared, never read.
            unsafe (start != UnsafePointer(bitPattern: 0) && length == 0)
        }
        #expect(nonNull)
    }

    @Test("a count that does not fit C's length type throws before C is called")
    func lengthTooLarge() {
        let bytes = [UInt8](repeating: 1, count: 70_000)
        #expect(
            throws: FixtureError.boundary(
                BoundaryError.outOfRange(70000, for: UInt16.self))
        ) {
            // SAFETY: the pointer is not used.
            try unsafe bytes.span.withCArgument { (_, _: UInt16) throws(FixtureError) -> UInt in
                Issue.record("C must not be called")
                return 0
            }
        }
    }

    @Test("raw bytes and mutable elements take the same path")
    func rawAndMutable() throws {
        let bytes: [UInt8] = [7, 8]
        // SAFETY: the pointer is lent for the closure only; see inside.
        let sum = try unsafe RawSpan(_elements: bytes.span).withCArgument {
            (start, length: UInt16) throws(FixtureError) in
            // SAFETY: `start` holds `length` bytes during this closure.
            unsafe fixture_sum_bytes(start.assumingMemoryBound(to: UInt8.self), length)
        }
        #expect(sum == 15)

        var values: [CInt] = [1, 2, 3]
        var span = values.mutableSpan
        // SAFETY: the pointer is lent for the closure only; see inside.
        try unsafe span.withCArgument { (start, length: CInt) throws(FixtureError) in
            // SAFETY: `start` holds `length` ints, exclusively ours during this closure.
            unsafe fixture_increment(start, length)
        }
        #expect(values == [2, 3, 4])
    }
}
