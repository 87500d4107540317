// OwnedCStruct.stream over a C function in zlib's shape. The fixture's struct holds raw
// pointers, so every use of it is marked `unsafe`: SAFETY for each is that the struct is
// owned by the test and reached only through OwnedCStruct.

import CSafeFFIFixture
import SafeFFI
import Testing

/// The fixture's streaming state, owned by Swift.
func makeStream() -> OwnedCStruct<fixture_stream> {
    // The fixture needs no init or end beyond a zeroed struct and no pending byte.
    OwnedCStruct<fixture_stream>(initialize: { unsafe $0.pointee.pending = -1 }, end: { _ in })
}

// SAFETY: the fixture's own input and output fields.
@safe let fixtureFields = unsafe CStreamFields(
    nextIn: \fixture_stream.next_in, availableIn: \.avail_in, nextOut: \.next_out, availableOut: \.avail_out)

struct StreamEnded: Error, Equatable {}

/// Steps the fixture once; a -1 (called after its end) throws.
func stepFixture(_ state: UnsafeMutablePointer<fixture_stream>) throws(StreamEnded) -> CStreamStep {
    switch unsafe fixture_stream_step(state) {
    case 1: return .ended
    case 0: return .more
    default: throw StreamEnded()
    }
}

@Suite("Streaming C functions through their state's fields")
struct CStreamTests {
    @Test("600 bytes through 8-bit counts and 7-byte chunks: sliced, refilled, every byte doubled in order")
    func slicesAndChunks() throws {
        var stream = unsafe makeStream()
        let input = (0..<600).map { UInt8(1 + $0 % 255) }
        var steps = 0
        let output = try stream.stream(input.span, through: fixtureFields, chunkSize: 7) {
            (state) throws(StreamEnded) in
            steps += 1
            return try unsafe stepFixture(state)
        }
        #expect(output.bytes == input.flatMap { [$0, $0] })
        #expect(output.ended == false)
        #expect(output.unread == 0)
        // Slices of 255, 255 and 90 bytes give 510, 510 and 180 bytes: 73 + 73 + 26 calls of
        // 7-byte chunks, the last of each slice partly filled.
        #expect(steps == 172)
        // No pointer is left in the struct.
        let left = unsafe stream.value
        #expect(unsafe left.next_in == nil && left.next_out == nil)
        #expect(unsafe left.avail_in == 0 && left.avail_out == 0)
    }

    @Test("the stream's end stops it: the rest of the input is reported unread")
    func endedWithUnread() throws {
        var stream = unsafe makeStream()
        let output = try stream.stream([1, 2, 0, 3, 4].span, through: fixtureFields, chunkSize: 3) {
            (state) throws(StreamEnded) in try unsafe stepFixture(state)
        }
        #expect(output.bytes == [1, 1, 2, 2])
        #expect(output.ended)
        #expect(output.unread == 2)
    }

    @Test("empty input still calls C once, as a finishing call needs")
    func emptyInput() throws {
        var stream = unsafe makeStream()
        var steps = 0
        let output = try stream.stream(Span(), through: fixtureFields, chunkSize: 4) { (state) throws(StreamEnded) in
            steps += 1
            return try unsafe stepFixture(state)
        }
        #expect(steps == 1)
        #expect(output.bytes == [] && !output.ended && output.unread == 0)
    }

    @Test("an error from a step stops the stream and leaves no pointer behind")
    func errorStops() throws {
        var stream = unsafe makeStream()
        _ = try stream.stream([5, 0].span, through: fixtureFields, chunkSize: 8) { (state) throws(StreamEnded) in
            try unsafe stepFixture(state)
        }
        #expect(throws: StreamEnded()) {
            _ = try stream.stream([6].span, through: fixtureFields, chunkSize: 8) { (state) throws(StreamEnded) in
                try unsafe stepFixture(state)
            }
        }
        let left = unsafe stream.value
        #expect(unsafe left.next_in == nil && left.next_out == nil)
    }
}

/// A state struct with 64-bit unsigned counts, as `uint64_t avail_in` declares them.
@unsafe
struct WideState {
    var nextIn: UnsafeMutablePointer<UInt8>?
    var availableIn: UInt64
    var nextOut: UnsafeMutablePointer<UInt8>?
    var availableOut: UInt64
}

extension CStreamTests {
    // Int(Count.max) traps for a count type as wide as Int and unsigned: a slice's size must
    // be clamped, not converted.
    @Test("64-bit unsigned counts: the input goes in one slice")
    func wideCounts() throws {
        var state = OwnedCStruct<WideState>(initialize: { _ in }, end: { _ in })
        // SAFETY: the struct's own fields.
        let fields = unsafe CStreamFields(
            nextIn: \WideState.nextIn, availableIn: \.availableIn, nextOut: \.nextOut,
            availableOut: \.availableOut)
        let output = try state.stream([1, 2, 3, 4, 5].span, through: fields, chunkSize: 2) {
            (pointer) throws(StreamEnded) -> CStreamStep in
            // SAFETY: copies as many bytes as both sides hold, as a C copying step would.
            let count = unsafe Int(min(pointer.pointee.availableIn, pointer.pointee.availableOut))
            unsafe pointer.pointee.nextOut!.update(from: pointer.pointee.nextIn!, count: count)
            unsafe pointer.pointee.nextIn! += count
            unsafe pointer.pointee.nextOut! += count
            unsafe pointer.pointee.availableIn -= UInt64(count)
            unsafe pointer.pointee.availableOut -= UInt64(count)
            return .more
        }
        #expect(output.bytes == [1, 2, 3, 4, 5])
        #expect(!output.ended && output.unread == 0)
    }
}
