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
            throws: IntegerConversionError(
                value: "2147483648", targetType: "Int32", targetRange: "-2147483648...2147483647")
        ) { try CInt(checked: Int(Int32.max) + 1) }
        #expect(
            throws: IntegerConversionError(value: "-1", targetType: "UInt", targetRange: "0...18446744073709551615")
        ) {
            try UInt(checked: -1)
        }
        #expect(
            throws: IntegerConversionError(
                value: "18446744073709551615", targetType: "Int",
                targetRange: "-9223372036854775808...9223372036854775807")
        ) { try Int(checked: UInt64.max) }
    }

    @Test("size_t counts must not be negative")
    func sizes() throws {
        #expect(try CSize.checked(0) == 0)
        #expect(try CSize.checked(Int.max) == Int.max)
        #expect(
            throws: IntegerConversionError(value: "-1", targetType: "size_t", targetRange: "0...9223372036854775807")
        ) {
            try CSize.checked(-1)
        }
    }

    @Test("describes the failure for a person")
    func description() {
        let error = IntegerConversionError(value: "300", targetType: "UInt8", targetRange: "0...255")
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
                IntegerConversionError(value: "65536", targetType: "UInt16", targetRange: "0...65535"))
        ) { try length(65_536) }
        #expect(
            throws: IntegerConversionError(value: "-2", targetType: "UInt8", targetRange: "0...255")
        ) { try UInt8(checked: -2, throwing: IntegerConversionError.self) }
    }
}
