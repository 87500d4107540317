import SafeFFI

/// Expected conversion errors, spelled once.
enum IntegerConversionErrorFixture {
    static func int32(value: Int) -> IntegerConversionError {
        IntegerConversionError(value: value, target: Int32.self)
    }

    static func size(value: Int) -> IntegerConversionError {
        IntegerConversionError(value: Int128(value), targetType: "size_t", targetRange: 0...Int128(Int.max))
    }
}
