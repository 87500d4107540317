import CNative
import Native
import Testing

extension NativeTests {
    @Suite("Example 2: strings", .nameCleared)
    struct StringTests {
        @Test("the version is the library's static string")
        func version() throws {
            #expect(try NativeLibrary.version() == "1.0.0")
        }

        @Test("a name round-trips, is replaced, and is cleared")
        func nameRoundTrip() throws {
            #expect(try NativeLibrary.name() == nil)
            try NativeLibrary.setName("SwiftApp")
            #expect(try NativeLibrary.name() == "SwiftApp")
            try NativeLibrary.setName("héllo ☃")
            #expect(try NativeLibrary.name() == "héllo ☃")
            NativeLibrary.clearName()
            #expect(try NativeLibrary.name() == nil)
        }

        @Test("63 bytes is the longest name")
        func longestName() throws {
            let longest = String(repeating: "n", count: 63)
            try NativeLibrary.setName(longest)
            #expect(try NativeLibrary.name() == longest)
        }

        @Test(
            "bad names are refused with the library's reason",
            arguments: [
                ("", "name is empty"),
                (String(repeating: "x", count: 64), "name is longer than 63 bytes"),
                (String(repeating: "é", count: 32), "name is longer than 63 bytes"),
            ])
        func badNames(name: String, message: String) {
            #expect(throws: NativeError.library(function: "set_name", code: .invalidInput, message: message)) {
                try NativeLibrary.setName(name)
            }
        }

        @Test("a name holding a NUL never reaches C")
        func nameWithNUL() throws {
            try NativeLibrary.setName("before")
            #expect(throws: NativeError.boundary(.interiorNUL(offset: 3))) {
                try NativeLibrary.setName("abc\0def")
            }
            #expect(try NativeLibrary.name() == "before")
        }

        @Test("C itself refuses NULL and invalid UTF-8")
        func cRefusals() throws {
            let acceptedNULL = set_name(nil)
            #expect(!acceptedNULL)
            #expect(try NativeLibrary.lastErrorMessage() == "name is NULL")
            let invalid: [CChar] = [0x61, CChar(bitPattern: 0xFF), 0]
            // SAFETY: a NUL-terminated array valid during the call.
            #expect(unsafe !set_name(invalid))
            #expect(try NativeLibrary.lastErrorMessage() == "name is not valid UTF-8")
        }

        @Test("the error message is nil after success, and freed after it is read")
        func errorMessage() throws {
            try NativeLibrary.setName("ok")
            #expect(try NativeLibrary.lastErrorMessage() == nil)
            #expect(throws: NativeError.self) { try NativeLibrary.setName("") }
            let before = native_live_allocations()
            #expect(try NativeLibrary.lastErrorMessage() == "name is empty")
            #expect(native_live_allocations() == before)
        }

        @Test("NULL and invalid UTF-8 from C are told apart (seed defect 2)")
        func nullVersusInvalid() throws {
            defer { KeptString.clear() }
            KeptString.clear()
            #expect(try KeptString.current() == nil)
            try KeptString.store(bytes: [0x61, 0xFF, 0x62])
            #expect(throws: NativeError.boundary(.invalidUTF8(offset: 1))) { try KeptString.current() }
        }
    }
}

/// Clears libnative's name after each test, so the name's copy never counts as a leak and
/// each test starts with no name.
struct NameCleared: TestTrait, SuiteTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        NativeLibrary.clearName()
        defer { NativeLibrary.clearName() }
        try await function()
    }
}

extension Trait where Self == NameCleared {
    static var nameCleared: Self { NameCleared() }
}
