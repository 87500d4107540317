import CNative
import Native
import Testing

extension NativeTests {
    @Suite("Zero-copy buffers")
    struct ZeroCopyTests {
        @Test("Swift writes, C processes in place, Swift reads the same memory")
        func roundTrip() throws {
            var buffer = try SharedBuffer(size: 300)
            #expect(buffer.count == 300)
            #expect(buffer.withSpan { span in span.indices.allSatisfy { span[$0] == 0 } })
            buffer.withMutableSpan { span in
                for index in span.indices { span[index] = UInt8(truncatingIfNeeded: index) }
            }
            try buffer.process()
            let bytes = buffer.withSpan { span in span.indices.map { span[$0] } }
            #expect(bytes == (0..<300).map { UInt8(truncatingIfNeeded: $0 + 1) })
            #expect(bytes[254] == 255 && bytes[255] == 0)
        }

        @Test("sizes of 0 or above 1 GiB are refused by C", arguments: [0, AdoptedBuffer.maximumSize + 1])
        func badSizes(size: Int) {
            #expect(
                throws: NativeError.library(
                    function: "create_buffer", code: .invalidInput,
                    message: "size must be 1...1073741824 bytes, got \(size)")
            ) { _ = try SharedBuffer(size: size) }
        }

        @Test("a negative size is refused before C sees it")
        func negativeSize() {
            #expect(throws: NativeError.boundary(BoundaryErrorFixture.size(value: -9))) {
                _ = try SharedBuffer(size: -9)
            }
        }

        @Test("C answers a NULL handle with NULL data and size 0, which Swift never views (seed defect 8)")
        func nullHandle() {
            // SAFETY: C is given NULL, which it documents; the result is only compared.
            #expect(unsafe get_buffer_data(nil) == nil)
            #expect(get_buffer_size(nil) == 0)
            #expect(process_buffer(nil) == -1)
            #expect(get_last_error() == 1)
        }
    }
}
