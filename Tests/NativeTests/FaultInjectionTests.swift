import CNative
import Native
import Testing

extension NativeTests {
    /// Makes each allocation of each allocating API fail in turn: every failure must be a
    /// typed out-of-memory error, and nothing may leak on the way out.
    @Suite("Allocation failures", .nameCleared)
    struct FaultInjectionTests {
        struct Operation: CustomTestStringConvertible, Sendable {
            let name: String
            let function: String
            /// Library messages for each failure point, in allocation order.
            let messages: [String]
            let run: @Sendable () throws(NativeError) -> Void
            var testDescription: String { name }
        }

        static let operations: [Operation] = [
            Operation(name: "setName", function: "set_name", messages: ["no memory for a 6-byte copy"]) {
                () throws(NativeError) in
                try NativeLibrary.setName("fault")
            },
            Operation(
                name: "lastErrorMessage", function: "get_error_message",
                messages: ["no memory to copy the message of error 1"]
            ) { () throws(NativeError) in
                _ = try NativeLibrary.lastErrorMessage()
            },
            Operation(name: "gradient", function: "create_gradient", messages: ["no memory for 4 colors"]) {
                () throws(NativeError) in
                _ = try Color.gradient(from: Color(r: 0, g: 0, b: 0, a: 0), to: Color(r: 9, g: 9, b: 9, a: 9), steps: 4)
            },
            Operation(
                name: "NativeHandle", function: "create_handle",
                messages: ["no memory for the handle", "no memory for 3 config bytes"]
            ) { () throws(NativeError) in
                _ = try NativeHandle(configuration: [1, 2, 3])
            },
            Operation(name: "AdoptedBuffer", function: "allocate_buffer", messages: ["no memory for 64 bytes"]) {
                () throws(NativeError) in
                _ = try AdoptedBuffer(size: 64)
            },
            Operation(name: "AdoptedLibraryData", function: "allocate_data", messages: ["no memory for 16 bytes"]) {
                () throws(NativeError) in
                _ = try AdoptedLibraryData()
            },
            Operation(
                name: "SharedBuffer", function: "create_buffer",
                messages: ["no memory for the buffer handle", "no memory for 64 bytes"]
            ) { () throws(NativeError) in
                _ = try SharedBuffer(size: 64)
            },
        ]

        @Test("every allocation point fails cleanly, then the operation succeeds", arguments: operations)
        func failEachAllocation(operation: Operation) throws {
            var failures: [NativeError] = []
            for point in 0..<10 {
                // The message test needs a failed call first, whose message it copies.
                if operation.name == "lastErrorMessage" {
                    _ = perform_operation(-1)
                }
                let before = native_live_allocations()
                native_fail_allocation_after(point)
                defer { native_fail_allocation_after(-1) }
                do {
                    try operation.run()
                    native_fail_allocation_after(-1)
                    break
                } catch {
                    failures.append(error)
                    #expect(native_live_allocations() == before, "leak after failing allocation \(point)")
                }
            }
            let expected = operation.messages.map {
                NativeError.library(function: operation.function, code: .outOfMemory, message: $0)
            }
            #expect(failures == expected)
        }

        @Test("the figures: 9 allocation points across 7 allocating APIs")
        func figures() {
            #expect(Self.operations.count == 7)
            #expect(Self.operations.map(\.messages.count).reduce(0, +) == 9)
        }
    }
}
