import SafeFFI

/// Expected conversion errors, spelled once.
enum BoundaryErrorFixture {
    static func int32(value: Int) -> BoundaryError {
        BoundaryError.outOfRange(value, for: Int32.self)
    }

    static func size(value: Int) -> BoundaryError {
        BoundaryError.outOfRange(value: Int128(value), targetType: "size_t", targetRange: 0...Int128(Int.max))
    }
}
