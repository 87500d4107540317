import CNative
import SafeFFI
import Testing

/// Every libnative test runs inside this suite, one at a time: the library's allocation
/// counter, fault injection and global slots are process-wide. Each test must leave the
/// live-allocation count where it found it.
@Suite("libnative", .serialized, .allocationsBalanced)
struct NativeTests {}

/// Fails a test that changes libnative's live-allocation count (a leak, or a double free)
/// or leaves an event handler registered. A stream a test dropped is unregistered on its
/// own thread, so the check first waits for that.
struct AllocationsBalanced: TestTrait, SuiteTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil else {
            try await function()
            return
        }
        let before = native_live_allocations()
        try await function()
        native_fail_allocation_after(-1)
        CallbackStream.waitForPendingUnregistrations()
        let after = native_live_allocations()
        #expect(after == before, "libnative live allocations went from \(before) to \(after)")
        #expect(native_event_handler_count() == 0, "the test left event handlers registered")
    }
}

extension Trait where Self == AllocationsBalanced {
    /// Checks that libnative's live-allocation count is unchanged by each test.
    static var allocationsBalanced: Self { AllocationsBalanced() }
}

/// FNV-1a 64-bit written in Swift: an oracle independent of the C implementation.
func referenceFNV1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}
