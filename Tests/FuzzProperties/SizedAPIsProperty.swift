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
        // below 4 KiB. `magnitude`, not abs(): abs(Int.min) traps, and any 8 bytes are an
        // input, Int.min among them.
        let limits = [Color.maximumGradientSteps, NativeHandle.maximumConfigurationSize, AdoptedBuffer.maximumSize]
        let nearLimit = limits.contains { ($0 &- value).magnitude <= 2 }
        let count = value.magnitude <= 4096 || value.magnitude > 1 << 31 || nearLimit ? value : value % 4096
        // Near the 1 GiB buffer limit only the refusing side is tried: allocating and
        // checking a gigabyte under ASan takes minutes an input.
        if count > 4096 && count <= AdoptedBuffer.maximumSize && input[0] % 4 >= 2 { return }
        let before = native_live_allocations()

        switch input[0] % 4 {
        case 0:
            let from = Native.Color(r: input[1], g: input[2], b: input[3], a: input[4])
            let to = Native.Color(r: input[5], g: input[6], b: input[7], a: input[8])
            switch Outcome({ () throws(NativeError) in try Color.gradient(from: from, to: to, steps: count) }) {
            case .made(let colors):
                try require(colors.count == count, "a gradient of \(count) steps has \(colors.count) colours")
                try require(
                    colors.first == from, "a gradient of \(count) steps starts at \(String(describing: colors.first))")
                try require(
                    count == 1 || colors.last == to,
                    "a gradient of \(count) steps ends at \(String(describing: colors.last))")
            case .refused(let error):
                try requireRefusal(
                    error, of: "a gradient of \(count) steps", by: "create_gradient",
                    outsideCType: CInt(exactly: count) == nil, expected: count < 1 || count > Color.maximumGradientSteps
                )
            }
        case 1:
            let configuration = Array(input.dropFirst(9))
            switch Outcome({ () throws(NativeError) in try NativeHandle(configuration: configuration) }) {
            case .made(let handle):
                try require(!configuration.isEmpty, "an empty configuration was accepted")
                try require(handle.configurationHash() >= 0, "a handle's use failed")
            case .refused(let error):
                try requireRefusal(
                    error, of: "a configuration of \(configuration.count) bytes", by: "create_handle",
                    outsideCType: false,
                    expected: configuration.isEmpty || configuration.count > NativeHandle.maximumConfigurationSize)
            }
        case 2:
            switch Outcome({ () throws(NativeError) in try AdoptedBuffer(size: count) }) {
            case .made(var buffer):
                try require(buffer.count == count, "a buffer of \(count) bytes has \(buffer.count)")
                buffer.fill(input[1])
                try require(buffer.withSpan { $0.allEqual(input[1]) }, "a filled buffer holds another byte")
            case .refused(let error):
                try requireRefusal(
                    error, of: "a buffer of \(count) bytes", by: "allocate_buffer", outsideCType: count < 0,
                    expected: count <= 0 || count > AdoptedBuffer.maximumSize)
            }
        default:
            switch Outcome({ () throws(NativeError) in try SharedBuffer(size: count) }) {
            case .made(var buffer):
                try require(buffer.count == count, "a shared buffer of \(count) bytes has \(buffer.count)")
                let processed = Result { () throws(NativeError) in try buffer.process() }
                try require((try? processed.get()) != nil, "processing a shared buffer failed: \(processed)")
                try require(buffer.withSpan { $0.allEqual(1) }, "a processed shared buffer holds another byte")
            case .refused(let error):
                try requireRefusal(
                    error, of: "a shared buffer of \(count) bytes", by: "create_buffer", outsideCType: count < 0,
                    expected: count <= 0 || count > AdoptedBuffer.maximumSize)
            }
        }
        let after = native_live_allocations()
        try require(after == before, "libnative holds \(after) allocations, \(before) before")
    }

    /// A refusal must be expected, and the documented one: `.boundary(.outOfRange)` when the
    /// value does not fit C's parameter type, otherwise C's own `invalidInput` from
    /// `function` — never an out-of-memory error or another function's.
    private func requireRefusal(
        _ error: NativeError, of what: String, by function: String, outsideCType: Bool, expected: Bool
    ) throws(PropertyViolation) {
        try require(expected, "\(what) was refused: \(error)")
        switch error {
        case .boundary(.outOfRange):
            try require(outsideCType, "\(what) was refused as out of C's range: \(error)")
        case .library(function, .invalidInput, _):
            try require(!outsideCType, "\(what) reached C although it does not fit its type: \(error)")
        default:
            throw PropertyViolation("\(what) was refused with \(error), not as invalid input")
        }
    }
}

/// What a throwing initialiser gave: the value, or its typed error (`Result` holds only
/// copyable values; libnative's owners are not).
private enum Outcome<Value: ~Copyable>: ~Copyable {
    case made(Value)
    case refused(NativeError)

    init(_ make: () throws(NativeError) -> Value) {
        do {
            self = .made(try make())
        } catch {
            self = .refused(error)
        }
    }
}

extension Span where Element == UInt8 {
    fileprivate func allEqual(_ byte: UInt8) -> Bool {
        indices.allSatisfy { self[$0] == byte }
    }
}
