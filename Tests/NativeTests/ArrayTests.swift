import CNative
import Foundation
import Native
import TestSupport
import Testing

extension NativeTests {
    @Suite("Example 7: arrays and buffers")
    struct ArrayTests {
        @Test("sum adds in order")
        func sums() {
            #expect(sumInOrder([1.0, 2.0, 3.0, 4.0, 5.0]) == 15.0)
            #expect(sumInOrder([]) == 0.0)
            #expect(sumInOrder([1e8, 1.0, -1e8]) == 0.0)  // float order matters: 1e8 + 1 rounds to 1e8
        }

        @Test("modify adds one in place and wraps")
        func modifies() {
            var values: [CInt] = [1, 2, 3, 4, 5, .max, -1]
            incrementWrapping(&values)
            #expect(values == [2, 3, 4, 5, 6, .min, 0])
        }

        @Test("a buffer starts zeroed, fills, and takes writes through its span")
        func buffer() throws {
            var buffer = try AdoptedBuffer(size: 1024)
            #expect(buffer.count == 1024)
            #expect(buffer.withSpan { span in span.indices.allSatisfy { span[$0] == 0 } })
            buffer.fill(0xFF)
            #expect(buffer.withSpan { span in span.indices.allSatisfy { span[$0] == 0xFF } })
            buffer.withMutableSpan { span in span[3] = 7 }
            #expect(buffer.withSpan { span in (0..<5).map { span[$0] } } == [255, 255, 255, 7, 255])
        }

        @Test("sizes of 0 or above 1 GiB are refused by C", arguments: [0, AdoptedBuffer.maximumSize + 1])
        func badSizes(size: Int) {
            #expect(
                throws: NativeError.library(
                    function: "allocate_buffer", code: .invalidInput,
                    message: "size must be 1...1073741824 bytes, got \(size)")
            ) { _ = try AdoptedBuffer(size: size) }
        }

        @Test("a negative size is refused before C sees it")
        func negativeSize() {
            #expect(throws: NativeError.boundary(BoundaryErrorFixture.size(value: -1))) {
                _ = try AdoptedBuffer(size: -1)
            }
        }
    }
}

extension NativeTests.ArrayTests {
    @Test("the most negative counts are refused, never negated or truncated (fuzz regression)")
    func mostNegativeCounts() throws {
        // The fuzz input: operation byte, then the size as 8 big-endian bytes.
        let input = try [UInt8](
            Data(
                contentsOf: PackagePaths.root.appending(
                    path: "Tests/FuzzRegressions/FuzzSizedAPIs/int-min-size")))
        let size = input[1..<9].reduce(0) { $0 << 8 | UInt64($1) }
        #expect(Int(truncatingIfNeeded: size) == Int.min)
        #expect(throws: NativeError.boundary(BoundaryErrorFixture.size(value: Int.min))) {
            _ = try AdoptedBuffer(size: Int.min)
        }
        #expect(throws: NativeError.boundary(BoundaryErrorFixture.size(value: Int.min))) {
            _ = try SharedBuffer(size: Int.min)
        }
        #expect(throws: NativeError.boundary(BoundaryErrorFixture.int32(value: Int.min))) {
            _ = try Color.gradient(
                from: Color(r: 0, g: 0, b: 0, a: 0), to: Color(r: 0, g: 0, b: 0, a: 0), steps: Int.min)
        }
    }
}
