import CNative
import Native
import Testing

extension NativeTests {
    /// The library's global slots are reached from many threads at once through the
    /// Swift API; these runs are also run under ThreadSanitizer by `.ci/run`.
    @Suite("Shared slots under concurrency (Mistake #5)", .nameCleared)
    struct ConcurrencyTests {
        @Test("concurrent name writes and reads never see a freed or torn name")
        func names() async throws {
            let names = (0..<8).map { "writer-\($0)" }
            try await withThrowingTaskGroup { group in
                for name in names {
                    group.addTask {
                        for _ in 0..<500 {
                            try NativeLibrary.setName(name)
                            let seen = try NativeLibrary.name()
                            #expect(seen.map(names.contains) == true, "saw \(String(describing: seen))")
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try NativeLibrary.name().map(names.contains) == true)
        }

        @Test("concurrent callback runs each deliver only their own items")
        func callbacks() async {
            await withTaskGroup { group in
                for worker in 0..<8 {
                    group.addTask {
                        let items = (0..<100).map { CInt(worker * 1_000 + $0) }
                        for _ in 0..<50 {
                            var received: [CInt] = []
                            processItems(items) { received.append($0) }
                            #expect(received == items)
                        }
                    }
                }
            }
            #expect(!isCallbackRegistered)
        }

        @Test("concurrent stores keep every string C reads alive")
        func storedStrings() async throws {
            defer { KeptString.clear() }
            let values = (0..<8).map { "kept-by-\($0)" }
            try await withThrowingTaskGroup { group in
                for value in values {
                    group.addTask {
                        for _ in 0..<500 {
                            try KeptString.store(value)
                            let seen = try KeptString.current()
                            #expect(seen.map(values.contains) == true)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
