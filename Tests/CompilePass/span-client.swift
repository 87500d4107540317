// A client of the C module alone: native.h's bounds annotations give these calls Span
// overloads, so with strict memory safety and warnings as errors this compiles with no
// `unsafe` anywhere. Compiled by Tests/NativeTests/AnnotationTests.swift.
import CNative

func hashAndSum() -> (UInt64, Float) {
    let bytes: [UInt8] = [0x61, 0x62, 0x63]
    let floats: [Float] = [1.5, 2.5, 3]
    return (compute_hash(bytes.span), sum_array(floats.span))
}

func increment() -> [CInt] {
    var values: [CInt] = [1, 2, CInt.max]
    var span = values.mutableSpan
    modify_array(&span)
    return values
}
