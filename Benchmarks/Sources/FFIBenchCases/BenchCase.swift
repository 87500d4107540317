// One benchmarked operation, shared by package-benchmark, ffi-compare and ffi-cases, and the
// sink that keeps its result.

import Synchronization

/// An operation to time: its set-up, then a body that performs `operations` of it.
///
/// The set-up runs only when the case is chosen, so a callgrind run of one case pays for
/// that case's set-up alone (10⁶-element arrays, databases, a plugin, an event system).
public struct BenchCase: Sendable {
    /// The name the C and Rust drivers use for the same operation.
    public let name: String
    /// What is measured, for the table.
    public let summary: String
    /// Operations one call of the body performs.
    public let operations: Int
    /// Whether the body needs `await` (callgrind cannot run those: see ffi-compare).
    public let isAsync: Bool
    private let setUp: @Sendable () throws -> Body

    /// What one case runs. Synchronous cases are called directly; awaiting a closure costs a
    /// task hop, which would swamp the nanosecond-scale cases.
    public enum Body: Sendable {
        case sync(@Sendable () -> Void)
        case async(@Sendable () async -> Void)

        /// Runs the body `count` times.
        public func repeatRun(_ count: Int) async {
            switch self {
            case .sync(let run): for _ in 0..<count { run() }
            case .async(let run): for _ in 0..<count { await run() }
            }
        }
    }

    /// A case: `setUp` builds its state and returns the body that uses it.
    public init(
        _ name: String, _ summary: String, operations: Int = 1, isAsync: Bool = false,
        setUp: @escaping @Sendable () throws -> Body
    ) {
        self.name = name
        self.summary = summary
        self.operations = operations
        self.isAsync = isAsync
        self.setUp = setUp
    }

    /// Builds the case's state and returns the body to time.
    public func prepare() throws -> Body {
        try setUp()
    }
}

/// Where results go: a relaxed atomic store, which the optimiser must perform (like the C
/// driver's `volatile` store) and which costs one `mov`. A generic `@inline(never)` sink is not
/// enough: the optimiser specialised one and dropped its argument, deleting the work measured.
private let sinkStorage = Atomic<UInt64>(0)

/// Keeps a result: the store cannot be removed, so the work that produced it cannot be.
@inline(__always)
public func sink(_ value: UInt64) { sinkStorage.store(value, ordering: .relaxed) }
@inline(__always)
public func sink(_ value: Int) { sink(UInt64(bitPattern: Int64(value))) }
@inline(__always)
public func sink(_ value: Int32) { sink(Int(value)) }
@inline(__always)
public func sink(_ value: Bool) { sink(value ? 1 : 0) }
@inline(__always)
public func sink(_ value: Double) { sink(value.bitPattern) }
@inline(__always)
public func sink(_ value: Float) { sink(UInt64(value.bitPattern)) }
/// A string is kept by its length, which needs the string itself (as C keeps the pointer).
@inline(__always)
public func sink(_ value: String?) { sink(value?.utf8.count ?? -1) }
@inline(__always)
public func sink(_ value: [UInt8]) { sink(value.count) }

/// A class holding a value a case's body borrows. A `let` property: reading it needs no
/// exclusivity check (a `var` in a class costs a run-time check on every access).
/// `@unchecked Sendable`: a body runs on one thread at a time.
final class Held<Value: ~Copyable>: @unchecked Sendable {
    let value: Value
    init(_ value: consuming Value) { self.value = value }
}

/// A class holding state a case's body changes. This module is built without run-time
/// exclusivity checks (Benchmarks/Package.swift), so an access costs a load or a store.
final class Box<Value: ~Copyable>: @unchecked Sendable {
    var value: Value
    init(_ value: consuming Value) { self.value = value }
}
