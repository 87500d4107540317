import CNative
import Native
import Testing

extension NativeTests {
    @Suite("Example 4: callbacks")
    struct CallbackTests {
        @Test("every item reaches the closure, in order, on the calling thread")
        func deliversInOrder() {
            var received: [CInt] = []
            processItems([10, 20, 30, 40, 50]) { received.append($0) }
            #expect(received == [10, 20, 30, 40, 50])
            #expect(received.reduce(0, +) == 150)
        }

        @Test("no items, no calls")
        func empty() {
            var calls = 0
            processItems([]) { _ in calls += 1 }
            #expect(calls == 0)
        }

        @Test("C holds no callback after the call returns, so it cannot reach a dead context (seed defect 4)")
        func unregisteredAfterCall() {
            var calls = 0
            processItems([1, 2, 3]) { _ in calls += 1 }
            #expect(calls == 3)
            #expect(!isCallbackRegistered)
            // C runs its items again with no Swift context alive: nothing is delivered.
            let items: [CInt] = [4, 5]
            // SAFETY: a valid array for the call.
            unsafe process_items(items, items.count)
            #expect(calls == 3)
        }

        @Test("C refuses NULL items with a count")
        func nullItems() {
            process_items(nil, 2)
            #expect(get_last_error() == 1)
        }
    }
}
