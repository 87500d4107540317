// expect-error: 'handle' used after consume
// An opaque handle has one owner: once it is given away, it cannot be used again.
import Native

func consumeTwice() throws {
    let handle = try NativeHandle(configuration: [1])
    let other = consume handle
    _ = other.configurationHash()
    _ = handle.configurationHash()
}
