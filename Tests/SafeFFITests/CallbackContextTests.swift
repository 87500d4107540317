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

    @Test("a closure that returns a value answers C: a sort with a Swift comparator")
    func comparator() {
        var values: [CInt] = [3, 1, 4, 1, 5, 9, 2, 6]
        var comparisons = 0
        let descending: ((CInt, CInt)) -> CInt = { pair in
            comparisons += 1
            return pair.0 > pair.1 ? -1 : pair.0 < pair.1 ? 1 : 0
        }
        // SAFETY: fixture_sort calls the comparator synchronously, before returning, with the
        // context given here; the array is exclusively ours during the call.
        let reported = unsafe CallbackContext<(CInt, CInt)>.withContext(returning: descending) { context in
            unsafe values.withUnsafeMutableBufferPointer { buffer in
                unsafe fixture_sort(
                    buffer.baseAddress, buffer.count,
                    { lhs, rhs, context in unsafe CallbackContext<(CInt, CInt)>.call((lhs, rhs), through: context) },
                    context)
            }
        }
        #expect(values == [9, 6, 5, 4, 3, 2, 1, 1])
        #expect(reported == comparisons)
    }

    @Test("a NULL context for a returning callback stops the process: there is no answer")
    func nullContextTraps() async {
        await #expect(processExitsWith: .failure) {
            // SAFETY: deliberately broken: the trap is the behaviour under test.
            let answer: CInt = unsafe CallbackContext<CInt>.call(1, through: nil)
            _ = answer
        }
    }
}

/// Runs fixture_foreach (libgit2's `*_foreach` shape) over `items` with `handler`.
func foreachItem<E: Error>(
    _ items: [CInt], stopStatus: CInt = 1, _ handler: (CInt) throws(E) -> IterationStep
) throws(E) -> IterationEnd<CInt> {
    // SAFETY: the context is valid during the closure, and fixture_foreach calls back
    // synchronously, before returning.
    try unsafe CallbackContext<CInt>.withContext(stoppable: handler, stopStatus: stopStatus) { context in
        unsafe items.withUnsafeBufferPointer { buffer in
            unsafe fixture_foreach(
                buffer.baseAddress, buffer.count,
                { value, context in unsafe CallbackContext<CInt>.step(value, through: context) }, context)
        }
    }
}

struct StopHere: Error, Equatable {
    let at: CInt
}

@Suite("C iterations a Swift closure can stop")
struct CallbackIterationTests {
    @Test("every element, in order, when the closure goes on: C's status, not stopped")
    func visitsAll() {
        var seen: [CInt] = []
        let end = foreachItem([5, 6, 7, 8]) { (value) -> IterationStep in
            seen.append(value)
            return .continue
        }
        #expect(seen == [5, 6, 7, 8])
        #expect(end.status == 0)
        #expect(!end.stoppedByHandler)
    }

    @Test(".stop ends the walk at that element, and C returns the stop status")
    func stops() {
        var seen: [CInt] = []
        let end = foreachItem([5, 6, 7, 8], stopStatus: -7) { (value) -> IterationStep in
            seen.append(value)
            return value == 6 ? .stop : .continue
        }
        #expect(seen == [5, 6])
        #expect(end.status == -7)
        #expect(end.stoppedByHandler)
    }

    @Test("a thrown error stops the walk and comes out of the Swift call, after C returned")
    func throwsOut() {
        var seen: [CInt] = []
        #expect(throws: StopHere(at: 7)) {
            _ = try foreachItem([5, 6, 7, 8]) { (value) throws(StopHere) -> IterationStep in
                seen.append(value)
                if value == 7 { throw StopHere(at: value) }
                return .continue
            }
        }
        #expect(seen == [5, 6, 7])
    }

    @Test("an empty walk calls nothing")
    func empty() {
        let end = foreachItem([]) { (_) -> IterationStep in
            Issue.record("called for no element")
            return .continue
        }
        #expect(end.status == 0)
        #expect(!end.stoppedByHandler)
    }
}
