// Arbitrary counts and sizes into libnative's sized APIs: each call either succeeds with
// exactly the size asked for or throws a typed error, and the library's live-allocation
// count returns to where it was. Sizes past a limit must be refused without C ever seeing
// a truncated value.

import CNative
import Native

public struct SizedAPIsProperty: FuzzProperty, Sendable {
    public static let targetName = "FuzzSizedAPIs"

    public init() {}

    /// The input: an operation byte, then a count as 8 big-endian bytes (the colour bytes
    /// of a gradient, too), then a handle's configuration.
    public func check(_ input: [UInt8]) throws(PropertyViolation) {
        guard input.count >= 9 else { return }
        let value = Int(truncatingIfNeeded: input[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        // Small sizes are allocated for real; sizes next to each limit and beyond 2^31 are
        // kept as they are, so both sides of every limit are tried; the rest is folded
        // below 4 KiB. `magnitude`, not abs(): abs(Int.min) traps (the first crash this
        // target found was that, in the harness).
        let limits = [Color.maximumGradientSteps, NativeHandle.maximumConfigurationSize, NativeBuffer.maximumSize]
        let nearLimit = limits.contains { ($0 &- value).magnitude <= 2 }
        let count = value.magnitude <= 4096 || value.magnitude > 1 << 31 || nearLimit ? value : value % 4096
        // Near the 1 GiB buffer limit only the refusing side is tried: allocating and
        // checking a gigabyte under ASan takes minutes an input.
        if count > 4096 && count <= NativeBuffer.maximumSize && input[0] % 4 >= 2 { return }
        let before = native_live_allocations()

        switch input[0] % 4 {
        case 0:
            let from = Native.Color(r: input[1], g: input[2], b: input[3], a: input[4])
            let to = Native.Color(r: input[5], g: input[6], b: input[7], a: input[8])
            if let colors = try? Color.gradient(from: from, to: to, steps: count) {
                try require(colors.count == count, "a gradient of \(count) steps has \(colors.count) colours")
                try require(
                    colors.first == from, "a gradient of \(count) steps starts at \(String(describing: colors.first))")
                try require(
                    count == 1 || colors.last == to,
                    "a gradient of \(count) steps ends at \(String(describing: colors.last))")
            } else {
                try require(count < 1 || count > Color.maximumGradientSteps, "a gradient of \(count) steps was refused")
            }
        case 1:
            let configuration = Array(input.dropFirst(9))
            if let handle = try? NativeHandle(configuration: configuration) {
                try require(!configuration.isEmpty, "an empty configuration was accepted")
                try require(handle.use() >= 0, "a handle's use failed")
            } else {
                try require(
                    configuration.isEmpty || configuration.count > NativeHandle.maximumConfigurationSize,
                    "a configuration of \(configuration.count) bytes was refused")
            }
        case 2:
            if var buffer = try? NativeBuffer(size: count) {
                try require(buffer.count == count, "a buffer of \(count) bytes has \(buffer.count)")
                buffer.fill(input[1])
                try require(buffer.withSpan { $0.allEqual(input[1]) }, "a filled buffer holds another byte")
            } else {
                try require(count <= 0 || count > NativeBuffer.maximumSize, "a buffer of \(count) bytes was refused")
            }
        default:
            if var buffer = try? SharedBuffer(size: count) {
                try require(buffer.count == count, "a shared buffer of \(count) bytes has \(buffer.count)")
                try? buffer.process()
                try require(buffer.withSpan { $0.allEqual(1) }, "a processed shared buffer holds another byte")
            } else {
                try require(
                    count <= 0 || count > NativeBuffer.maximumSize, "a shared buffer of \(count) bytes was refused")
            }
        }
        let after = native_live_allocations()
        try require(after == before, "libnative holds \(after) allocations, \(before) before")
    }
}

extension Span where Element == UInt8 {
    fileprivate func allEqual(_ byte: UInt8) -> Bool {
        indices.allSatisfy { self[$0] == byte }
    }
}
