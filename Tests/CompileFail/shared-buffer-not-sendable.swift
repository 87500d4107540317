// expect-error: conformance of 'SharedBuffer' to 'Sendable' is unavailable
// The zero-copy buffer is unsynchronised mutable memory: it must not be shared.
import Native

func requireSendable<T: Sendable & ~Copyable>(_: T.Type) {}

func shareAcrossThreads() {
    requireSendable(SharedBuffer.self)
}
