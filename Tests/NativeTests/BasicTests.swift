import CNative
import Native
import Testing

extension NativeTests {
    @Suite("Example 1: basic calls")
    struct BasicTests {
        @Test(
            "FNV-1a matches the published test vectors",
            arguments: [
                ("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8),
            ])
        func hashVectors(text: String, expected: UInt64) {
            #expect(computeHash(text) == expected)
            #expect(computeHash(Array(text.utf8)) == expected)
        }

        @Test("the hash agrees with an independent Swift implementation on every byte value")
        func hashAgreesWithReference() {
            let bytes = (0...255).map { UInt8($0) }
            #expect(computeHash(bytes) == referenceFNV1a(bytes))
        }

        @Test("strlen counts UTF-8 bytes")
        func length() throws {
            #expect(try cStringLength("Hello, FFI!") == 11)
            #expect(try cStringLength("héllo") == 6)
            #expect(try cStringLength("") == 0)
        }

        @Test("a NUL inside a string is a typed error, not a panic (seed defect 1)")
        func lengthRefusesNUL() {
            #expect(throws: NativeError.boundary(.interiorNUL(offset: 1))) { try cStringLength("a\0b") }
        }

        @Test("strcmp orders as C does")
        func compare() throws {
            #expect(try compareCStrings("apple", "banana") == .less)
            #expect(try compareCStrings("pear", "pear") == .equal)
            #expect(try compareCStrings("b", "a") == .greater)
            #expect(try compareCStrings("é", "z") == .greater)  // bytes compare unsigned: 0xC3 > 0x7A
            #expect(throws: NativeError.boundary(.interiorNUL(offset: 2))) { try compareCStrings("ok", "no\0") }
        }

        @Test("process_array doubles in place and saturates")
        func doubling() throws {
            var values: [Int32] = [
                1, -2, 0, .max, .min, 1_073_741_823, 1_073_741_824, -1_073_741_824, -1_073_741_825,
            ]
            #expect(try doubleSaturating(&values) == 9)
            #expect(values == [2, -4, 0, .max, .min, 2_147_483_646, .max, .min, .min])
            var empty: [Int32] = []
            #expect(try doubleSaturating(&empty) == 0)
        }

        @Test("process_array refuses NULL with a length and a length above INT_MAX, in C")
        func doublingRefusals() {
            #expect(process_array(nil, 3) == -1)
            #expect(get_last_error() == 1)
            var one: Int32 = 5
            // SAFETY: C checks the length before touching the array and returns at once.
            #expect(unsafe process_array(&one, Int(Int32.max) + 1) == -1)
            #expect(get_last_error() == 1)
            #expect(one == 5)
        }
    }
}
