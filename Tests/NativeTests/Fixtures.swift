import SafeFFI

/// Expected conversion errors, spelled once.
enum IntegerConversionErrorFixture {
    static func int32(value: String) -> IntegerConversionError {
        IntegerConversionError(value: value, targetType: "Int32", targetRange: "-2147483648...2147483647")
    }

    static func size(value: String) -> IntegerConversionError {
        IntegerConversionError(value: value, targetType: "size_t", targetRange: "0...9223372036854775807")
    }
}
