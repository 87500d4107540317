// The benchmarked operations through the safe Swift API, named as in the C and Rust drivers.
// Each case builds its own state in its set-up; the body is what is timed and counted.

import CBenchSupport
import CNative
import Glibc
import KeyValueStore
import Native
import PluginKit
import SafeFFI
import Synchronization

/// Runs a benchmarked operation that must not fail: a failure would make it look fast.
/// Generic over the error type, so a typed error is not boxed into `any Error` on the way
/// (the box's set-up sat in every case's frame), and the failure is reported out of line.
public func must<T, E: Error>(_ name: String, _ body: () throws(E) -> T) -> T {
    do {
        return try body()
    } catch {
        failed(name, error)
    }
}

@inline(never)
func failed(_ name: String, _ error: some Error) -> Never {
    fatalError("benchmark case \(name) failed: \(error)")
}

public enum Cases {
    /// Every case of the library, in table order. `directory` holds the database files;
    /// `pluginPath` is the uppercase plugin library.
    public static func all(directory: String, pluginPath: String) -> [BenchCase] {
        basics() + strings() + bulk() + events() + database(directory: directory) + plugin(pluginPath) + tips()
    }

    /// How many times callgrind runs a case's body for its smaller run (the larger is twice
    /// that): enough operations for a stable difference, few enough to finish in seconds.
    public static func callgrindCount(_ name: String) -> Int {
        switch name {
        case "callback-1e6": 1
        case "sum-1e6", "sum-span-1e6", "hash-1M", "zero-copy-view-1M", "zero-copy-copy-1M": 4
        case "db-set", "db-set-grdb": 300
        case "db-get", "db-get-grdb": 1_000
        case "batch-one-call", "batch-many-calls", "inline-header", "inline-call": 100
        case "event-async": 20
        default: 2_000
        }
    }

    static func basics() -> [BenchCase] {
        [
            // The drivers' own cost per operation, to read the other rows by: a body that
            // only stores a constant in the sink, called as every case's body is called.
            BenchCase("empty", "the driver alone: a body that only stores to the sink") {
                .sync { sink(0) }
            },
            BenchCase("call", "performOperation(42): one plain call, int in, int out") {
                .sync { sink(must("call") { try performOperation(42) }) }
            },
            BenchCase("struct-by-value", "Point.distance(to:): two structs by value") {
                let p1 = Native.Point(x: 0, y: 0)
                let p2 = Native.Point(x: 3, y: 4)
                return .sync { sink(p1.distance(to: p2)) }
            },
            BenchCase("struct-by-pointer", "Rect.contains: a struct by pointer, one by value") {
                let p1 = Native.Point(x: 0, y: 0)
                let rect = Native.Rect(x1: 0, y1: 0, x2: 10, y2: 10)
                return .sync { sink(rect.contains(p1)) }
            },
        ]
    }

    static func strings() -> [BenchCase] {
        func stringIn(_ name: String, _ length: Int) -> BenchCase {
            BenchCase(name, "cStringLength: a \(length)-byte Swift String into C (checked, strlen)") {
                let text = String(repeating: "a", count: length)
                return .sync { sink(must(name) { try cStringLength(text) }) }
            }
        }
        func stringOutStatic(_ length: Int) -> BenchCase {
            let name = "string-out-static-\(length == 16 ? "16" : "1k")"
            return BenchCase(name, "String(strictCString:): a borrowed \(length)-byte C string into a Swift String") {
                // The address travels as an integer: closures must be Sendable, pointers are not.
                // SAFETY: bench_static_string returns a static C string, valid for the process.
                let address = unsafe Int(bitPattern: bench_static_string(length))
                return .sync {
                    // SAFETY: a static NUL-terminated string.
                    sink(must(name) { try unsafe String(strictCString: UnsafePointer<CChar>(bitPattern: address)!) })
                }
            }
        }
        func stringOutOwned(_ length: Int) -> BenchCase {
            let name = "string-out-owned-\(length == 16 ? "16" : "1k")"
            return BenchCase(name, "OwnedCString.take: a malloc'd \(length)-byte C string into Swift, then freed") {
                let address = unsafe Int(bitPattern: bench_static_string(length))
                return .sync {
                    // SAFETY: bench_strdup returns a malloc'd copy; take frees it with free.
                    let source = unsafe UnsafePointer<CChar>(bitPattern: address)
                    sink(must(name) { try unsafe OwnedCString.take(bench_strdup(source), free: { unsafe free($0) }) })
                }
            }
        }
        // The standard library's own validating decoder of C strings, with no wrapper: the
        // floor of String(strictCString:), which adds the offset of a refusal.
        func stringOutStandard(_ length: Int) -> BenchCase {
            let name = "string-out-stdlib-\(length == 16 ? "16" : "1k")"
            return BenchCase(name, "String(validatingCString:): the standard library alone, \(length) bytes") {
                // SAFETY: bench_static_string returns a static C string, valid for the process.
                let address = unsafe Int(bitPattern: bench_static_string(length))
                return .sync {
                    // SAFETY: a static NUL-terminated string.
                    sink(unsafe String(validatingCString: UnsafePointer<CChar>(bitPattern: address)!))
                }
            }
        }
        func stringView(_ length: Int) -> BenchCase {
            let name = "string-view-\(length == 16 ? "16" : "1k")"
            let description = "withStrictCString: a borrowed \(length)-byte C string validated and read in place"
            return BenchCase(name, description) {
                // SAFETY: bench_static_string returns a static C string, valid for the process.
                let address = unsafe Int(bitPattern: bench_static_string(length))
                return .sync {
                    // SAFETY: a static NUL-terminated string.
                    let pointer = unsafe UnsafePointer<CChar>(bitPattern: address)!
                    sink(must(name) { try unsafe withStrictCString(pointer) { $0.count } })
                }
            }
        }
        return [
            stringIn("string-in-15", 15), stringIn("string-in-16", 16), stringIn("string-in-1k", 1024),
            stringOutStatic(16), stringOutStatic(1024), stringOutOwned(16), stringOutOwned(1024),
            stringOutStandard(16), stringOutStandard(1024), stringView(16), stringView(1024),
        ]
    }

    static func bulk() -> [BenchCase] {
        [
            BenchCase(
                "callback-1e6", "processItems: C calls a Swift closure per item (per item)", operations: 1_000_000
            ) {
                let items = (0..<1_000_000).map { CInt($0 & 0xFF) }
                return .sync {
                    var total = 0
                    processItems(items) { total &+= Int($0) }
                    sink(total)
                }
            },
            BenchCase("sum-1e6", "sumInOrder(_:): 1e6 floats summed by C (per call)") {
                let floats = (0..<1_000_000).map { Float($0 & 0xFF) }
                return .sync { sink(sumInOrder(floats)) }
            },
            BenchCase("sum-span-1e6", "sum_array(floats.span): the compiler's Span overload, no wrapper (per call)") {
                let floats = (0..<1_000_000).map { Float($0 & 0xFF) }
                // native.h annotates sum_array counted_by(len) and noescape: SafeInteropWrappers
                // imports a safe overload taking Span<Float>.
                return .sync { sink(sum_array(floats.span)) }
            },
            BenchCase("hash-64", "computeHash: 64 bytes") {
                let bytes = [UInt8](repeating: 7, count: 64)
                return .sync { sink(computeHash(bytes)) }
            },
            BenchCase("hash-1M", "computeHash: 1 MiB") {
                let bytes = [UInt8](repeating: 7, count: 1 << 20)
                return .sync { sink(computeHash(bytes)) }
            },
            BenchCase("zero-copy-view-1M", "SharedBuffer.withSpan: sum 1 MiB of C memory in place") {
                let shared = Held(try SharedBuffer(size: 1 << 20))
                return .sync {
                    sink(
                        shared.value.withSpan { span in
                            var total = 0
                            for index in span.indices { total &+= Int(span[index]) }
                            return total
                        })
                }
            },
            BenchCase("zero-copy-copy-1M", "the same sum after copying the 1 MiB into a Swift array") {
                let shared = Held(try SharedBuffer(size: 1 << 20))
                return .sync {
                    // The fastest copy the standard library offers (one memcpy), so the row shows what
                    // copying costs, not what a slow copy costs.
                    // SAFETY: the buffer pointer is used only inside the closure, to copy from.
                    let copy = shared.value.withSpan { span in unsafe span.withUnsafeBufferPointer { unsafe Array($0) }
                    }
                    var total = 0
                    for byte in copy { total &+= Int(byte) }
                    sink(total)
                }
            },
        ]
    }

    static func events() -> [BenchCase] {
        [
            // The system is the only handler registered while this case runs: a stream
            // registered too (as the async case's once was, during a shared set-up) would
            // receive every event as well.
            BenchCase(
                "event-registry", "triggerEvent → EventSystem payload handler (a borrowed Span), 16-byte payload"
            ) {
                let payload = [UInt8](repeating: 1, count: 16)
                let counter = Held(Atomic(0))
                let system = EventSystem()
                system.addPayloadHandler(forEventType: 77) { payload in
                    counter.value.add(payload.count, ordering: .relaxed)
                }
                try system.start()
                return .sync {
                    triggerEvent(type: 77, payload: payload)
                    withExtendedLifetime(system) {}
                }
            },
            BenchCase("event-registry-copy", "triggerEvent → EventSystem handler of an owned Event, 16-byte payload") {
                let payload = [UInt8](repeating: 1, count: 16)
                let counter = Held(Atomic(0))
                let system = EventSystem()
                system.addHandler(forEventType: 77) { event in
                    counter.value.add(event.payload.count, ordering: .relaxed)
                }
                try system.start()
                return .sync {
                    triggerEvent(type: 77, payload: payload)
                    withExtendedLifetime(system) {}
                }
            },
            BenchCase(
                "event-async", "triggerEvent → EventSystem.events AsyncSequence, 16-byte payload (per event)",
                operations: 1_000, isAsync: true
            ) {
                let payload = [UInt8](repeating: 1, count: 16)
                let stream = Box(try EventSystem.events(ofType: 78, bufferingPolicy: .unbounded).makeAsyncIterator())
                return .async {
                    for _ in 0..<1_000 { triggerEvent(type: 78, payload: payload) }
                    for _ in 0..<1_000 { sink(await stream.value.next()?.payload ?? []) }
                }
            },
        ]
    }

    static func database(directory: String) -> [BenchCase] {
        [
            BenchCase("db-get", "Database.get: one key, a 16-byte value (KeyValueStore)") {
                let ours = try Database(path: "\(directory)/ours.db")
                try ours.set("key", "value-0123456789")
                return .sync { sink(must("db-get") { try ours.get("key") }) }
            },
            BenchCase("db-set", "Database.set: a durable write (WAL, synchronous=FULL)") {
                let ours = try Database(path: "\(directory)/ours.db")
                let counter = Box(0)
                return .sync {
                    counter.value += 1
                    must("db-set") { try ours.set("key-\(counter.value & 1023)", "value-0123456789") }
                }
            },
        ]
    }

    static func plugin(_ path: String) -> [BenchCase] {
        [
            BenchCase("plugin-call", "PluginInstance.process: 16 bytes through a Swift plugin's C table") {
                let library = try PluginLibrary(path: path)
                // A `let` in a class: borrowing it costs no exclusivity check (a `var` did,
                // with a thread-local access set: ≈ 117 instructions per call).
                let instance = Held(try library.makeInstance(configuration: "ascii"))
                let input = Array("sixteen bytes in".utf8)
                return .sync { sink(must("plugin-call") { try instance.value.process(input) }) }
            },
            BenchCase(
                "plugin-call-view", "PluginInstance.process(_:_:): the same, the output lent as a Span, not copied"
            ) {
                let library = try PluginLibrary(path: path)
                let instance = Held(try library.makeInstance(configuration: "ascii"))
                let input = Array("sixteen bytes in".utf8)
                return .sync {
                    // Its length and first byte: the output itself must be read.
                    sink(
                        must("plugin-call-view") {
                            try instance.value.process(input) { output in
                                output.count << 8 | Int(output.isEmpty ? 0 : output[0])
                            }
                        })
                }
            },
        ]
    }

    static func tips() -> [BenchCase] {
        [
            BenchCase("batch-one-call", "incrementWrapping: 1,000 ints in one call (per int)", operations: 1_000) {
                let values = Box((0..<1_000).map { CInt($0) })
                return .sync { incrementWrapping(&values.value) }
            },
            BenchCase("batch-many-calls", "incrementWrapping: 1,000 calls of one int (per int)", operations: 1_000) {
                let values = Box((0..<1_000).map { CInt($0) })
                return .sync {
                    // The array moves out of the box for the batch (two exclusive accesses per
                    // 1,000 ints), then each call gets a one-element span of it: what C does
                    // with modify_array(&values[i], 1). `_mutatingExtracting` is the one way
                    // to take part of a MutableSpan in Swift 6.3 (`extracting` is deprecated
                    // in its favour).
                    var array: [CInt] = []
                    swap(&array, &values.value)
                    var span = array.mutableSpan
                    for index in 0..<1_000 {
                        var one = span._mutatingExtracting(index..<index + 1)
                        incrementWrapping(&one)
                    }
                    swap(&array, &values.value)
                }
            },
            BenchCase(
                "inline-header", "native_double_saturating: a static inline C function, inlined", operations: 1_000
            ) {
                let values = (0..<1_000).map { CInt($0) }
                return .sync {
                    var total: CInt = 0
                    for value in values { total &+= native_double_saturating(value) }
                    sink(total)
                }
            },
            BenchCase("inline-call", "native_double_saturating_call: the same function, called", operations: 1_000) {
                let values = (0..<1_000).map { CInt($0) }
                return .sync {
                    var total: CInt = 0
                    for value in values { total &+= native_double_saturating_call(value) }
                    sink(total)
                }
            },
        ]
    }
}
