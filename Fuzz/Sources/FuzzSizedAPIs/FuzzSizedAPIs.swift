// Arbitrary counts and sizes into libnative's sized APIs: each call either succeeds with
// exactly the size asked for or throws a typed error, and the library's live-allocation
// count returns to where it was. Sizes past a limit must be refused without C ever seeing
// a truncated value.

import CNative
import Native

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 9 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var raw: UInt64 = 0
    for byte in bytes[1..<9] { raw = raw << 8 | UInt64(byte) }
    let value = Int(truncatingIfNeeded: raw)
    // Keep real allocations small; values past the limits must be refused.
    // `magnitude`, not abs(): abs(Int.min) traps (the first crash this target found was
    // that, in this harness).
    // Small sizes are allocated for real; sizes next to each limit and beyond 2^31 are kept
    // as they are, so both sides of every limit are tried; the rest is folded below 4 KiB.
    let limits = [Color.maximumGradientSteps, NativeHandle.maximumConfigurationSize, NativeBuffer.maximumSize]
    let nearLimit = limits.contains { ($0 &- value).magnitude <= 2 }
    let count =
        value.magnitude <= 4096 || value.magnitude > 1 << 31 || nearLimit ? value : value % 4096
    // Near the 1 GiB buffer limit only the refusing side is tried: allocating and checking
    // a gigabyte under ASan takes minutes per input.
    if count > 4096 && count <= NativeBuffer.maximumSize && bytes[0] % 4 >= 2 { return 0 }
    let before = native_live_allocations()

    switch bytes[0] % 4 {
    case 0:
        let black = Native.Color(r: bytes[1], g: bytes[2], b: bytes[3], a: bytes[4])
        let white = Native.Color(r: bytes[5], g: bytes[6], b: bytes[7], a: bytes[8])
        if let colors = try? Color.gradient(from: black, to: white, steps: count) {
            precondition(colors.count == count && colors.first == black, "gradient of \(count)")
            precondition(count == 1 || colors.last == white, "gradient ends at its end colour")
        } else {
            precondition(count < 1 || count > Color.maximumGradientSteps, "gradient of \(count) refused")
        }
    case 1:
        let configuration = Array(bytes.dropFirst(9))
        if let handle = try? NativeHandle(configuration: configuration) {
            precondition(handle.use() >= 0 && !configuration.isEmpty, "handle")
        } else {
            precondition(configuration.isEmpty || configuration.count > NativeHandle.maximumConfigurationSize, "handle refused")
        }
    case 2:
        if var buffer = try? NativeBuffer(size: count) {
            precondition(buffer.count == count, "buffer size")
            buffer.fill(bytes[1])
            precondition(buffer.withSpan { span in span.indices.allSatisfy { span[$0] == bytes[1] } }, "fill")
        } else {
            precondition(count <= 0 || count > NativeBuffer.maximumSize, "buffer of \(count) refused")
        }
    default:
        if var buffer = try? SharedBuffer(size: count) {
            precondition(buffer.count == count, "shared buffer size")
            try? buffer.process()
            precondition(buffer.withSpan { span in span.indices.allSatisfy { span[$0] == 1 } }, "process")
        } else {
            precondition(count <= 0 || count > NativeBuffer.maximumSize, "shared buffer of \(count) refused")
        }
    }
    precondition(native_live_allocations() == before, "libnative leaked")
    return 0
}
