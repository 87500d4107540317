import SafeFFI
import Testing

@Suite("Checked integer conversion")
struct CheckedIntegerTests {
    @Test("in-range values convert exactly")
    func inRange() throws {
        #expect(try CInt(checked: Int(Int32.max)) == Int32.max)
        #expect(try CInt(checked: Int(Int32.min)) == Int32.min)
        #expect(try UInt(checked: 0) == 0)
        #expect(try Int(checked: UInt64(Int.max)) == Int.max)
    }

    @Test("out-of-range values throw instead of truncating")
    func outOfRange() {
        #expect(
            throws: BoundaryError.outOfRange(Int(Int32.max) + 1, for: Int32.self)
        ) { try CInt(checked: Int(Int32.max) + 1) }
        #expect(
            throws: BoundaryError.outOfRange(-1, for: UInt.self)
        ) {
            try UInt(checked: -1)
        }
        #expect(
            throws: BoundaryError.outOfRange(UInt64.max, for: Int.self)
        ) { try Int(checked: UInt64.max) }
    }

    @Test("size_t counts must not be negative")
    func sizes() throws {
        #expect(try Int(checkedSize: 0) == 0)
        #expect(try Int(checkedSize: Int.max) == Int.max)
        #expect(
            throws: BoundaryError.outOfRange(value: -1, targetType: "size_t", targetRange: 0...Int128(Int.max))
        ) {
            try Int(checkedSize: -1)
        }
    }

    @Test("describes the failure for a person")
    func description() {
        let error = BoundaryError.outOfRange(300, for: UInt8.self)
        #expect(error.description == "300 does not fit in UInt8 (0...255)")
    }

    @Test("a conversion throws the caller's error type, so typed-throws code needs no do/catch")
    func composes() throws {
        func length(_ count: Int) throws(FixtureError) -> UInt16 {
            try UInt16(checked: count, throwing: FixtureError.self)
        }
        #expect(try length(65_535) == 65_535)
        #expect(
            throws: FixtureError.boundary(
                BoundaryError.outOfRange(65536, for: UInt16.self))
        ) { try length(65_536) }
        #expect(
            throws: BoundaryError.outOfRange(-2, for: UInt8.self)
        ) { try UInt8(checked: -2, throwing: BoundaryError.self) }
    }
}
