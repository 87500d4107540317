import CNative
import Native
import Testing

extension NativeTests {
    @Suite("Example 5: opaque handles")
    struct HandleTests {
        @Test("use returns the configuration's hash folded to 31 bits")
        func useHandle() throws {
            for configuration in [Array("some configuration".utf8), [0], Array(repeating: 0xAB, count: 4096)] {
                let handle = try NativeHandle(configuration: configuration)
                let hash = referenceFNV1a(configuration)
                #expect(handle.configurationHash() == Int32((hash ^ (hash >> 32)) & 0x7FFF_FFFF))
            }
        }

        @Test("the handle keeps its own copy of the configuration")
        func copiesConfiguration() throws {
            var configuration = Array("abc".utf8)
            let handle = try NativeHandle(configuration: configuration)
            let first = handle.configurationHash()
            configuration[0] = 0x7A
            #expect(handle.configurationHash() == first)
        }

        @Test(
            "configurations outside 1...4096 bytes are refused",
            arguments: [0, 4097, 10_000])
        func badConfiguration(size: Int) {
            #expect(
                throws: NativeError.library(
                    function: "create_handle", code: .invalidInput,
                    message: "config must be 1...4096 bytes, got \(size)")
            ) { _ = try NativeHandle(configuration: Array(repeating: 1, count: size)) }
        }

        @Test("a handle is destroyed exactly once, when its owner ends")
        func destroyedOnce() throws {
            let before = native_live_allocations()
            do {
                let handle = try NativeHandle(configuration: [1, 2, 3])
                #expect(native_live_allocations() == before + 2)
                _ = handle.configurationHash()
            }
            #expect(native_live_allocations() == before)
        }
    }
}
