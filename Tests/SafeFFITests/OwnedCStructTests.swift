import CSafeFFIFixture
import SafeFFI
import Testing

/// A fixture_state owned by Swift: init and end as a C library's caller would run them.
func makeState(failing: Bool = false) throws(FixtureError) -> OwnedCStruct<fixture_state> {
    try OwnedCStruct<fixture_state>(
        initialize: { (state) throws(FixtureError) in
            // SAFETY: `state` is zero-filled memory for one fixture_state, as init expects.
            let status = unsafe fixture_state_init(state, failing ? 1 : 0)
            guard status == 0 else { throw .refused(Int(status)) }
        },
        end: { unsafe fixture_state_end($0) })
}

@Suite("C structs the caller owns", .serialized)
struct OwnedCStructTests {
    @Test("init runs once on zeroed memory, end runs once when the owner ends")
    func initAndEndOnce() throws {
        let ends = fixture_state_ends()
        do {
            // SAFETY: fixture_state holds raw pointers, so its owner's type is unsafe to name;
            // the owner never hands them out.
            var state = try unsafe makeState()
            #expect(fixture_state_live() == 1)
            for value in [3, 4, 5] {
                // SAFETY: the struct stays at its address while C adds to it.
                let status = unsafe state.withUnsafeMutablePointer { unsafe fixture_state_add($0, CInt(value)) }
                #expect(status == 0)
            }
            // SAFETY: reads a plain integer field of the copy.
            #expect(unsafe state.value.total == 12)
        }
        #expect(fixture_state_live() == 0)
        #expect(fixture_state_ends() - ends == 1)
    }

    @Test("the address C saw at init is the address of every later call")
    func stableAddress() throws {
        // SAFETY: as above, the owner's type names a struct holding raw pointers.
        var state = try unsafe makeState()
        // SAFETY: the pointers are only compared.
        let moved = unsafe state.withUnsafeMutablePointer { pointer in unsafe pointer.pointee.`self` != pointer }
        #expect(!moved)
    }

    @Test("a failed init throws, and end never runs on a struct that was never set up")
    func failedInit() {
        let ends = fixture_state_ends()
        #expect(throws: FixtureError.refused(-1)) {
            // SAFETY: as above.
            _ = try unsafe makeState(failing: true)
        }
        #expect(fixture_state_ends() == ends)
        #expect(fixture_state_live() == 0)
    }

    @Test("consuming the owner ends the struct there")
    func consumed() throws {
        let ends = fixture_state_ends()
        // SAFETY: as above.
        let state = try unsafe makeState()
        _ = unsafe consume state
        #expect(fixture_state_ends() - ends == 1)
    }
}
