import CNative
import Native
import Testing

extension NativeTests {
    @Suite("Anti-patterns, done right")
    struct AntiPatternTests {
        static let libraryBytes: [UInt8] = [
            0x4E, 0x41, 0x54, 0x49, 0x56, 0x45, 0x00, 0x01, 0x02, 0x03, 0x7F, 0x80, 0xC0, 0xFE, 0xFF, 0x2A,
        ]

        @Test("a NULL data pointer is nil, never dereferenced (Mistake #1)")
        func nullData() {
            #expect(StaticLibraryData.bytes() == Self.libraryBytes)
            #expect(StaticLibraryData.firstByte() == 0x4E)
            native_set_data_available(false)
            defer { native_set_data_available(true) }
            #expect(StaticLibraryData.bytes() == nil)
            #expect(StaticLibraryData.firstByte() == nil)
        }

        @Test("allocated data is freed exactly once (Mistake #2)")
        func allocatedData() throws {
            let before = native_live_allocations()
            do {
                let data = try AdoptedLibraryData()
                #expect(native_live_allocations() == before + 1)
                #expect(data.bytes == Self.libraryBytes)
            }
            #expect(native_live_allocations() == before)
        }

        @Test("C reads the kept string after the Swift string is gone (seed defect 9, Mistake #4)")
        func keptString() throws {
            defer { KeptString.clear() }
            do {
                let temporary = String(repeating: "kept-", count: 20)
                try KeptString.store(temporary)
            }
            // Churn the allocator so freed memory would be reused.
            for round in 0..<1_000 {
                _ = Array(repeating: UInt8(truncatingIfNeeded: round), count: 101)
            }
            // Read through C's own pointer, as a C consumer would.
            // SAFETY: the kept string is owned by KeptString until replaced or cleared.
            let seenByC = unsafe String(cString: stored_string()!)
            #expect(seenByC == String(repeating: "kept-", count: 20))
            #expect(try KeptString.current() == seenByC)
        }

        @Test("replacing or clearing moves C off the old string before it is freed")
        func replaceAndClear() throws {
            defer { KeptString.clear() }
            try KeptString.store("first")
            // SAFETY: the pointers are only compared, never read.
            let firstPointer = unsafe stored_string()
            try KeptString.store("second")
            #expect(unsafe stored_string() != firstPointer)
            #expect(try KeptString.current() == "second")
            KeptString.clear()
            #expect(unsafe stored_string() == nil)
            #expect(try KeptString.current() == nil)
        }

        @Test("a refused string leaves what C keeps unchanged")
        func refusedStore() throws {
            defer { KeptString.clear() }
            try KeptString.store("safe")
            #expect(throws: NativeError.boundary(.interiorNUL(offset: 1))) { try KeptString.store("a\0b") }
            #expect(throws: NativeError.boundary(.interiorNUL(offset: 2))) {
                try KeptString.store(bytes: [0x61, 0x62, 0x00])
            }
            #expect(try KeptString.current() == "safe")
        }
    }
}
