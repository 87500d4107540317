// Tutorial Example 4: C calls a Swift closure for each item, synchronously.

import SafeFFI

/// Serialises use of libnative's single callback slot: two threads registering at once
/// would deliver one's items to the other's closure.
private let callbackSlot = Serialized(())

/// Passes `items` to libnative, which calls `handler` once per item, in order, on the
/// calling thread, before this function returns.
///
/// The closure is registered for exactly the length of this call: it is unregistered
/// before returning, so C never holds a pointer to a context that has ended. `handler`
/// must not call
/// `processItems` itself.
///
/// The corresponding C functions are `register_callback`, `process_items` and
/// `unregister_callback`.
public func processItems(_ items: [CInt], _ handler: (CInt) -> Void) {
    callbackSlot.withLock { _ in LibNative.process_items(items.span, handler) }
}

/// Whether libnative holds a registered callback. Always `false` between calls of
/// ``processItems(_:_:)``. The corresponding C function is `native_callback_is_registered`.
package var isCallbackRegistered: Bool {
    LibNative.native_callback_is_registered()
}
