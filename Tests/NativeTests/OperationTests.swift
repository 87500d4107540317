import CNative
import Native
import Testing

extension NativeTests {
    @Suite("Example 6: error codes")
    struct OperationTests {
        @Test("success doubles the input", arguments: [(0, 0), (42, 84), (499_999, 999_998)] as [(Int32, Int32)])
        func success(input: Int32, expected: Int32) throws {
            #expect(try performOperation(input) == expected)
            #expect(get_last_error() == 0)
        }

        @Test(
            "each failure code becomes its own error, with the library's message",
            arguments: [
                (Int32(-1), OperationError.invalidInput(message: "input -1 is negative")),
                (Int32.min, .invalidInput(message: "input -2147483648 is negative")),
                (13, .ioError(message: "input 13 failed to reach the device")),
                (1_000_001, .outOfMemory(message: "input 1000001 needs more memory than the library has")),
                (
                    500_000,
                    .unrecognized(
                        code: 4, name: "input outside the supported range",
                        message: "input 500000 is outside 0...499999")
                ),
                (
                    1_000_000,
                    .unrecognized(
                        code: 4, name: "input outside the supported range",
                        message: "input 1000000 is outside 0...499999")
                ),
            ] as [(Int32, OperationError)])
        func failures(input: Int32, expected: OperationError) {
            #expect(throws: expected) { try performOperation(input) }
        }

        @Test("codes the library does not define have no name, and say so")
        func unknownCodes() {
            // SAFETY: the result is only compared with NULL.
            #expect(unsafe get_error_string(99) == nil)
            #expect(NativeErrorCode(rawValue: 99).description == "unknown error code 99")
            #expect(NativeErrorCode.outOfRange.description == "input outside the supported range")
            #expect(
                OperationError.unrecognized(code: 7, name: nil, message: "m").description
                    == "Error 7 (unknown to the library): m")
        }
    }
}
