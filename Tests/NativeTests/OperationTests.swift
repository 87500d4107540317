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
            "each failure code comes back as the library's code and message, from perform_operation",
            arguments: [
                (Int32(-1), NativeErrorCode.invalidInput, "input -1 is negative"),
                (Int32.min, .invalidInput, "input -2147483648 is negative"),
                (13, .ioError, "input 13 failed to reach the device"),
                (1_000_001, .outOfMemory, "input 1000001 needs more memory than the library has"),
                (500_000, .outOfRange, "input 500000 is outside 0...499999"),
                (1_000_000, .outOfRange, "input 1000000 is outside 0...499999"),
            ] as [(Int32, NativeErrorCode, String)])
        func failures(input: Int32, code: NativeErrorCode, message: String) {
            #expect(throws: NativeError.library(function: "perform_operation", code: code, message: message)) {
                try performOperation(input)
            }
        }

        @Test("codes the library does not define have no name, and say so")
        func unknownCodes() {
            // SAFETY: the result is only compared with NULL.
            #expect(unsafe get_error_string(99) == nil)
            #expect(NativeErrorCode(rawValue: 99).description == "unknown error code 99")
            #expect(NativeErrorCode.outOfRange.description == "input outside the supported range")
            #expect(
                NativeError.library(function: "perform_operation", code: NativeErrorCode(rawValue: 7), message: "m")
                    .description == "perform_operation failed (unknown error code 7): m")
            #expect(
                NativeError.library(function: "perform_operation", code: .ioError, message: "input 13 failed")
                    .description == "perform_operation failed (I/O error): input 13 failed")
        }
    }
}
