// expect-error: lifetime-dependent variable 'leaked' escapes its scope
// A span over C memory cannot outlive the call that lends it.
import Native

func escape(_ buffer: borrowing AdoptedBuffer) {
    var leaked: Span<UInt8>? = nil
    buffer.withSpan { span in leaked = span }
    _ = leaked
}
