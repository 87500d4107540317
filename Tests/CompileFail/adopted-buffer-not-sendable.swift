// expect-error: conformance of 'AdoptedBuffer' to 'Sendable' is unavailable
// Seed defect 5: the tutorial declares its C buffer Send + Sync with no evidence.
import Native

func requireSendable<T: Sendable & ~Copyable>(_: T.Type) {}

func shareAcrossThreads() {
    requireSendable(AdoptedBuffer.self)
}
