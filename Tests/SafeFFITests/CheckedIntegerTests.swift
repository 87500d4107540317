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
            throws: IntegerConversionError(value: Int(Int32.max) + 1, target: Int32.self)
        ) { try CInt(checked: Int(Int32.max) + 1) }
        #expect(
            throws: IntegerConversionError(value: -1, target: UInt.self)
        ) {
            try UInt(checked: -1)
        }
        #expect(
            throws: IntegerConversionError(value: UInt64.max, target: Int.self)
        ) { try Int(checked: UInt64.max) }
    }

    @Test("size_t counts must not be negative")
    func sizes() throws {
        #expect(try Int(checkedSize: 0) == 0)
        #expect(try Int(checkedSize: Int.max) == Int.max)
        #expect(
            throws: IntegerConversionError(value: -1, targetType: "size_t", targetRange: 0...Int128(Int.max))
        ) {
            try Int(checkedSize: -1)
        }
    }

    @Test("describes the failure for a person")
    func description() {
        let error = IntegerConversionError(value: 300, target: UInt8.self)
        #expect(error.description == "300 does not fit in UInt8 (0...255)")
    }

    @Test("a conversion throws the caller's error type, so typed-throws code needs no do/catch")
    func composes() throws {
        func length(_ count: Int) throws(FixtureError) -> UInt16 {
            try UInt16(checked: count, throwing: FixtureError.self)
        }
        #expect(try length(65_535) == 65_535)
        #expect(
            throws: FixtureError.integer(
                IntegerConversionError(value: 65536, target: UInt16.self))
        ) { try length(65_536) }
        #expect(
            throws: IntegerConversionError(value: -2, target: UInt8.self)
        ) { try UInt8(checked: -2, throwing: IntegerConversionError.self) }
    }
}
