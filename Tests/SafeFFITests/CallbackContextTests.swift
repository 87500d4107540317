import CSafeFFIFixture
import SafeFFI
import Testing

@Suite("Scoped callback contexts")
struct CallbackContextTests {
    @Test("C delivers every item, in order, to the Swift closure")
    func deliversInOrder() {
        let items: [CInt] = [3, 1, 4, 1, 5, 9, 2, 6]
        var received: [CInt] = []
        // SAFETY: see the comment inside; the context pointer never outlives the closure.
        let record: (CInt) -> Void = { received.append($0) }
        unsafe CallbackContext<CInt>.withContext(record) { context in
            // SAFETY: the context is valid during this closure, and fixture_each calls back
            // synchronously, before returning.
            unsafe items.withUnsafeBufferPointer { buffer in
                unsafe fixture_each(
                    buffer.baseAddress, buffer.count,
                    { value, context in unsafe CallbackContext<CInt>.deliver(value, to: context) }, context)
            }
        }
        #expect(received == items)
    }

    @Test("a NULL context is ignored, not dereferenced")
    func nullContextIgnored() {
        // SAFETY: a NULL context is documented to be ignored.
        unsafe CallbackContext<CInt>.deliver(7, to: nil)
    }

    @Test("the body's result comes back")
    func returnsBodyResult() {
        // SAFETY: the context pointer is not used.
        let ignore: (Int) -> Void = { _ in }
        let result = unsafe CallbackContext<Int>.withContext(ignore) { _ in 42 }
        #expect(result == 42)
    }
}
