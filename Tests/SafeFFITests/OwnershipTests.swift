import CSafeFFIFixture
import SafeFFI
import Testing

/// Counts the fixture's live blocks around `body`; the fixture's counter is process-wide,
/// so these tests run serialised.
func expectFixtureBalanced(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) rethrows {
    let before = fixture_live_blocks()
    try body()
    #expect(fixture_live_blocks() == before, "fixture blocks leaked or double-freed", sourceLocation: sourceLocation)
}

@Suite("Ownership of C memory", .serialized)
struct OwnershipTests {
    @Test("take decodes and frees a valid string")
    func takeFreesValid() throws {
        try expectFixtureBalanced {
            // SAFETY: fixture_strdup returns a counted copy freed with fixture_free.
            let text = try unsafe OwnedCString.take(fixture_strdup("héllo"), free: { unsafe fixture_free($0) })
            #expect(text == "héllo")
        }
    }

    @Test("take frees on the error path too")
    func takeFreesInvalid() {
        expectFixtureBalanced {
            #expect(throws: BoundaryError.invalidUTF8(offset: 2)) {
                // SAFETY: as above; the malformed source string is static.
                try unsafe OwnedCString.take(
                    fixture_strdup(fixture_malformed_string(0)), free: { unsafe fixture_free($0) })
            }
        }
    }

    @Test("an owned string read in place is validated, then freed once by its owner")
    func ownerViewsInPlace() {
        expectFixtureBalanced {
            // SAFETY: a counted copy of a static malformed string, freed only by the owner.
            let owned = unsafe OwnedCString(
                adopting: fixture_strdup(fixture_malformed_string(0)), free: { unsafe fixture_free($0) })!
            #expect(throws: BoundaryError.invalidUTF8(offset: 2)) { try owned.withUTF8Span { $0.count } }
        }
    }

    @Test("take of NULL is nil and frees nothing")
    func takeNull() throws {
        var freed = 0
        // SAFETY: a NULL pointer is never dereferenced.
        #expect(try unsafe OwnedCString.take(nil, free: { _ in freed += 1 }) == nil)
        #expect(freed == 0)
    }

    @Test("an adopted string is freed exactly once when its owner ends, read or not")
    func ownerFreesOnce() throws {
        try expectFixtureBalanced {
            // SAFETY: a counted copy, freed only by the owner.
            let owned = unsafe OwnedCString(adopting: fixture_strdup("abc"), free: { unsafe fixture_free($0) })!
            #expect(fixture_live_blocks() >= 1)
            let count = owned.byteCount
            #expect(count == 3)
            let decoded = try owned.decode()
            #expect(decoded == "abc")
            let bytes = owned.withBytes { span in span.indices.map { span[$0] } }
            #expect(bytes == [0x61, 0x62, 0x63])
            let viewed = try owned.withUTF8Span { String(copying: $0) }
            #expect(viewed == "abc")
        }
        expectFixtureBalanced {
            // SAFETY: as above; this owner is never read.
            _ = unsafe OwnedCString(adopting: fixture_strdup("unused"), free: { unsafe fixture_free($0) })
        }
        expectFixtureBalanced {
            // SAFETY: as above; the bytes are not UTF-8.
            let owned = unsafe OwnedCString(
                adopting: fixture_strdup(fixture_malformed_string(5)), free: { unsafe fixture_free($0) })!
            #expect(throws: BoundaryError.invalidUTF8(offset: 1)) { try owned.decode() }
        }
    }

    @Test("a foreign buffer exposes its elements, takes writes and frees once")
    func foreignBuffer() {
        expectFixtureBalanced {
            // SAFETY: fixture_make_ints returns 5 ints freed with fixture_free.
            var buffer = unsafe OwnedBuffer(
                adopting: fixture_make_ints(5), count: 5, free: { unsafe fixture_free($0) })!
            let count = buffer.count
            let isEmpty = buffer.isEmpty
            #expect(count == 5)
            #expect(!isEmpty)
            let initial = buffer.copyElements()
            #expect(initial == [0, 1, 2, 3, 4])
            buffer.withMutableSpan { span in
                for index in span.indices { span[index] *= 10 }
            }
            let last = buffer.withSpan { span in span[4] }
            let third = buffer[2]
            #expect(last == 40)
            #expect(third == 20)
            let items = buffer.copyElements()
            #expect(items == [0, 10, 20, 30, 40])
        }
    }

    @Test("adopting NULL gives no owner and frees nothing")
    func foreignBufferNull() {
        var freed = 0
        // SAFETY: a NULL pointer is never dereferenced.
        let buffer = unsafe OwnedBuffer<CInt>(adopting: nil, count: 3, free: { _ in freed += 1 })
        let adopted = buffer != nil
        #expect(!adopted)
        #expect(freed == 0)
        // SAFETY: as above.
        let handle = unsafe OwnedHandle<UnsafeMutableRawPointer>(adopting: nil, free: { _ in freed += 1 })
        let adoptedHandle = unsafe handle != nil
        #expect(!adoptedHandle)
        #expect(freed == 0)
    }

    @Test("a foreign handle is destroyed exactly once, with the handle it adopted")
    func foreignHandleDestroyedOnce() {
        expectFixtureBalanced {
            // SAFETY: the fixture's counted block, freed by the owner below; the recorded
            // pointers are only compared.
            let raw = unsafe UnsafeMutableRawPointer(fixture_make_ints(1))!
            var destroyed: [UnsafeMutableRawPointer] = unsafe []
            do {
                // SAFETY: `raw` is a counted block that only this owner frees.
                let owner = unsafe OwnedHandle(adopting: raw) { handle in
                    unsafe destroyed.append(handle)
                    unsafe fixture_free(handle)
                }!
                // SAFETY: the handle is alive inside the closure.
                let same = unsafe owner.withUnsafeHandle { unsafe $0 == raw }
                #expect(same)
                #expect(unsafe destroyed.isEmpty)
            }
            #expect(unsafe destroyed == [raw])
        }
    }
}

@Suite("Handles known not to be NULL", .serialized)
struct NonNullHandleTests {
    @Test("a handle known non-NULL is adopted without an optional, and destroyed once")
    func nonFailableAdoption() {
        expectFixtureBalanced {
            var destroyed = 0
            do {
                // SAFETY: a counted block that only this owner frees.
                let raw = unsafe UnsafeMutableRawPointer(fixture_make_ints(2))!
                let owner = unsafe OwnedHandle<UnsafeMutableRawPointer>(adoptingNonNull: raw) { handle in
                    destroyed += 1
                    unsafe fixture_free(handle)
                }
                // SAFETY: the handle is alive inside the closure; only compared.
                #expect(unsafe owner.withUnsafeHandle { unsafe $0 == raw })
            }
            #expect(destroyed == 1)
        }
    }
}

@Suite("Misuse stops the process instead of corrupting memory")
struct MisuseTests {
    @Test("adopting a buffer with a negative count traps")
    func negativeCount() async {
        await #expect(processExitsWith: .failure) {
            let memory = UnsafeMutablePointer<CInt>.allocate(capacity: 1)
            // SAFETY: the precondition stops the process before the memory is used.
            _ = unsafe OwnedBuffer(adopting: memory, count: -1, free: { unsafe $0.deallocate() })
        }
    }

    @Test("reading past the end of a foreign buffer traps")
    func outOfBounds() async {
        await #expect(processExitsWith: .failure) {
            // SAFETY: fixture_make_ints returns 2 ints freed with fixture_free.
            let buffer = unsafe OwnedBuffer(
                adopting: fixture_make_ints(2), count: 2, free: { unsafe fixture_free($0) })!
            _ = buffer[2]
        }
    }
}
