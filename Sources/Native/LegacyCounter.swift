// The tutorial's exercise: a thread-safe wrapper around a C component that is not.

import SafeFFI

/// Serialises every call into libnative's legacy component, whose global total is
/// changed by plain read-modify-write.
///
/// A lock (``Serialized``) rather than an actor: each call is a few nanoseconds of C with
/// nothing to await, callers include synchronous code and C callbacks that cannot
/// `await`, and a lock lets ``snapshot()`` read the total and the count as one state.
private let legacyLock = Serialized(())

/// The legacy counter, safe to use from any thread or task at once.
public enum LegacyCounter {
    /// Adds `amount` to the total (wrapping). The corresponding C function is `legacy_add`.
    public static func add(_ amount: Int64) {
        legacyLock.withLock { _ in LibNative.legacy_add(amount) }
    }

    /// Sets the total and the update count to zero. The corresponding C function is
    /// `legacy_reset`.
    public static func reset() {
        legacyLock.withLock { _ in LibNative.legacy_reset() }
    }

    /// The total and the number of updates, read together.
    /// The corresponding C functions are `legacy_total` and `legacy_updates`.
    public static func snapshot() -> (total: Int64, updates: Int64) {
        legacyLock.withLock { _ in (LibNative.legacy_total(), LibNative.legacy_updates()) }
    }
}
