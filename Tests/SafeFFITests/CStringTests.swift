import CSafeFFIFixture
import Glibc
import SafeFFI
import Testing

@Suite("Checked C strings into C")
struct CheckedCStringTests {
    @Test("passes the exact bytes and a terminating NUL", arguments: ["", "a", "Hello, FFI!", "héllo ☃ 🎉"])
    func passesExactBytes(text: String) throws {
        // SAFETY: the pointer is a NUL-terminated string valid during the closure.
        let read = try unsafe text.withCheckedCString { pointer in
            unsafe String(cString: pointer)
        }
        #expect(read == text)
    }

    @Test(
        "refuses an interior NUL with its UTF-8 byte offset",
        arguments: [("\0", 0), ("abc\0", 3), ("a\0b", 1), ("é\0", 2), ("🎉x\0\0", 5)])
    func refusesInteriorNUL(text: String, offset: Int) {
        var called = false
        // SAFETY: the body never touches the pointer.
        #expect(throws: BoundaryError.interiorNUL(offset: offset)) {
            try unsafe text.withCheckedCString { _ in called = true }
        }
        #expect(!called, "body must not run for a refused string")
    }

    @Test("nests with a typed error thrown from the body")
    func nestsWithTypedError() throws {
        struct Failure: BoundaryErrorRepresentable, Equatable {
            var string: BoundaryError?
            init(_ error: BoundaryError) { string = error }
            init() { string = nil }
        }
        // SAFETY: both pointers are valid NUL-terminated strings inside the closures; the
        // closures below never touch theirs.
        let joined = try unsafe "ab".withCheckedCString { (first) throws(Failure) -> String in
            try unsafe "cd".withCheckedCString { (second) throws(Failure) -> String in
                unsafe String(cString: first) + String(cString: second)
            }
        }
        #expect(joined == "abcd")
        #expect(throws: Failure(.interiorNUL(offset: 1))) {
            try unsafe "ab".withCheckedCString { (_) throws(Failure) in
                try unsafe "c\0".withCheckedCString { (_) throws(Failure) in () }
            }
        }
        #expect(throws: Failure()) {
            try unsafe "ab".withCheckedCString { (_) throws(Failure) in throw Failure() }
        }
    }

    @Test("describes the refusal for a person")
    func description() {
        #expect(
            BoundaryError.interiorNUL(offset: 3).description
                == "string contains a NUL byte at offset 3; C would see it truncated there")
        #expect(
            BoundaryError.invalidUTF8(offset: 2).description == "C string is not valid UTF-8: invalid byte at offset 2")
    }
}

@Suite("malloc'd copies for C")
struct MallocCopyTests {
    @Test("a copy holds the bytes and one NUL, in memory free releases")
    func copies() throws {
        for text in ["", "héllo"] {
            // SAFETY: a fresh malloc'd string, read up to its NUL and freed once.
            guard let copy = try unsafe mallocCString(copying: text) else {
                Issue.record("malloc failed")
                return
            }
            #expect(unsafe String(cString: copy) == text)
            unsafe free(copy)
        }
    }

    @Test("a buffer copy holds exactly its elements, NULs included, with no terminator")
    func buffers() throws {
        let values: [Int32] = [7, 0, -3, Int32.max]
        // SAFETY: a fresh malloc'd block of four Int32, read within its count and freed once.
        guard let copy = unsafe mallocBuffer(copying: values.span) else {
            Issue.record("malloc failed")
            return
        }
        #expect(unsafe Array(UnsafeBufferPointer(start: copy, count: values.count)) == values)
        unsafe free(copy)
        // An empty span still gets a block (never NULL on success), which free releases.
        let empty: [UInt8] = []
        // SAFETY: a fresh block that nothing reads, freed once.
        let block = unsafe mallocBuffer(copying: empty.span)
        #expect(unsafe block != nil)
        unsafe free(block)
    }

    @Test("a NUL inside is refused before anything is allocated")
    func refusesNUL() {
        let bytes: [UInt8] = [0x61, 0x62, 0x00, 0x63]
        #expect(throws: BoundaryError.interiorNUL(offset: 2)) {
            // SAFETY: nothing is returned: the call throws.
            _ = try unsafe mallocCString(copying: bytes.span)
        }
    }
}

@Suite("Strict C strings into Swift")
struct StrictCStringTests {
    @Test("decodes valid UTF-8 exactly")
    func decodesValid() throws {
        // SAFETY: the fixture returns a static string.
        #expect(try unsafe String(strictCString: fixture_valid_string()) == "héllo")
    }

    @Test("NULL is the caller's to name: tested before decoding, never an error")
    func nullIsTheCallers() throws {
        // SAFETY: the fixture returns NULL; nothing is decoded.
        let decoded = try unsafe fixture_null_string().map { (pointer) throws(BoundaryError) in
            try unsafe String(strictCString: pointer)
        }
        #expect(decoded == nil)
    }

    @Test("decoding throws the caller's error type")
    func throwsCallersError() {
        struct Failure: BoundaryErrorRepresentable, Equatable {
            var string: BoundaryError
            init(_ error: BoundaryError) { string = error }
        }
        #expect(throws: Failure(.invalidUTF8(offset: 2))) {
            // SAFETY: the fixture returns a static string for index 0.
            try unsafe String(strictCString: fixture_malformed_string(0), throwing: Failure.self)
        }
    }

    @Test(
        "invalid UTF-8 is an error with the offset, never repaired",
        arguments: [(0, 2), (1, 0), (2, 2), (3, 3), (4, 0), (5, 1)])
    func invalidIsError(which: Int32, offset: Int) {
        #expect(throws: BoundaryError.invalidUTF8(offset: offset)) {
            // SAFETY: the fixture returns a static string for indexes 0...5.
            try unsafe String(strictCString: fixture_malformed_string(which))
        }
    }

    @Test("strict bytes keep NULs and refuse invalid UTF-8")
    func strictBytes() throws {
        let bytes: [UInt8] = [0x61, 0x00, 0x62]
        #expect(try String(strictUTF8: bytes.span) == "a\0b")
        let bad: [UInt8] = [0x61, 0xFF]
        #expect(throws: BoundaryError.invalidUTF8(offset: 1)) { try String(strictUTF8: bad.span) }
    }

    @Test("the offset finder agrees with the standard library's validator on random bytes")
    func validatorAgreesWithStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        // Biased towards bytes that start or continue sequences, where the edge cases are.
        let alphabet: [UInt8] = [
            0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
        ]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...8, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let offset = UTF8Validation.firstInvalidOffset(in: bytes.span)
            let standard = String(validating: bytes, as: UTF8.self)
            #expect((offset == nil) == (standard != nil), "bytes \(bytes)")
            if let offset {
                // Everything before the reported offset is a valid prefix.
                #expect(String(validating: bytes[..<offset], as: UTF8.self) != nil, "bytes \(bytes)")
            }
        }
    }
}

@Suite("C strings read in place")
struct StrictCStringViewTests {
    @Test("the view holds the exact bytes before the NUL, validated")
    func viewsValid() throws {
        // SAFETY: the fixture returns a static string.
        let (count, text, bytes) = try unsafe withStrictCString(fixture_valid_string()) { view in
            (view.count, String(copying: view), view.span.indices.map { view.span[$0] })
        }
        #expect(count == 6)
        #expect(text == "héllo")
        #expect(bytes == [0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F])
    }

    @Test("an empty C string is an empty view")
    func viewsEmpty() throws {
        let empty: [CChar] = [0]
        // SAFETY: `empty` is NUL-terminated and outlives the call.
        let count = try unsafe withStrictCString(empty) { $0.count }
        #expect(count == 0)
    }

    @Test(
        "invalid UTF-8 is refused with the offset, as the copying decoder refuses it; the body is not called",
        arguments: [(0, 2), (1, 0), (2, 2), (3, 3), (4, 0), (5, 1)])
    func refusesInvalid(which: Int32, offset: Int) {
        var called = false
        #expect(throws: BoundaryError.invalidUTF8(offset: offset)) {
            // SAFETY: the fixture returns a static string for indexes 0...5.
            try unsafe withStrictCString(fixture_malformed_string(which)) { _ in called = true }
        }
        #expect(!called)
    }

    @Test("a body's typed error and a refusal both leave as the caller's error type")
    func throwsCallersError() {
        struct Failure: BoundaryErrorRepresentable, Equatable {
            var string: BoundaryError?
            var tooLong = false
            init(_ error: BoundaryError) { string = error }
            init(tooLong: Void) { self.tooLong = true }
        }
        #expect(throws: Failure(tooLong: ())) {
            // SAFETY: the fixture returns a static string.
            try unsafe withStrictCString(fixture_valid_string()) { (view) throws(Failure) in
                if view.count > 3 { throw Failure(tooLong: ()) }
            }
        }
        #expect(throws: Failure(.invalidUTF8(offset: 2))) {
            // SAFETY: the fixture returns a static string for index 0.
            try unsafe withStrictCString(fixture_malformed_string(0)) { (_) throws(Failure) in }
        }
    }
}
