// Every call Native makes into C lives in this file: libnative's functions and constants,
// the two libc functions Native uses, and the trampolines C calls back. The public types
// call these wrappers only; no other file of the module imports CNative.
//
// Each wrapper has the exact name of the C function it wraps (`LibNative.compute_hash`
// wraps `compute_hash`), so a name never means both a public API and its C call; inside,
// the C function is named with its module (`CNative.compute_hash`). Where C hands over
// memory, the wrapper adopts it into an owner, so no raw allocation leaves this file.

// swift-format-ignore-file: AlwaysUseLowerCamelCase

import CNative
import Glibc
import SafeFFI

@usableFromInline
enum LibNative {
    // MARK: Last error

    /// The calling thread's last error code. `get_last_error`.
    static func get_last_error() -> Int32 {
        CNative.get_last_error()
    }

    /// The calling thread's last error message, or "" when there is none or it is not
    /// UTF-8. `native_last_error_message`.
    static func native_last_error_message() -> String {
        // SAFETY: native_last_error_message returns NULL or the thread's own buffer,
        // borrowed until the thread's next library call; it is copied here at once.
        guard let message = unsafe CNative.native_last_error_message() else { return "" }
        return (try? unsafe String(strictCString: message)) ?? ""
    }

    /// The library's name for an error code, or `nil` for a code it does not know.
    /// `get_error_string`.
    static func get_error_string(_ code: Int32) -> String? {
        // SAFETY: get_error_string returns a static string or NULL.
        guard let name = unsafe CNative.get_error_string(code) else { return nil }
        return try? unsafe String(strictCString: name)
    }

    /// A copy of the last error's message, freed with `free_string` on every path; `nil`
    /// when there is none or the copy could not be allocated. `get_error_message`.
    static func get_error_message() throws(NativeError) -> String? {
        // SAFETY: get_error_message returns a malloc'd string (or NULL) that the caller
        // frees with free_string — `take` frees it on every path.
        try unsafe OwnedCString.take(
            CNative.get_error_message(), free: { unsafe free_string($0) }, throwing: NativeError.self)
    }

    // MARK: Operation

    /// Twice `input`, or a negative result with the last error set. `perform_operation`.
    @inlinable
    static func perform_operation(_ input: Int32) -> Int32 {
        CNative.perform_operation(input)
    }

    // MARK: Strings

    /// The library's version string; `nil` if the library returned NULL. `get_version`.
    static func get_version() throws(NativeError) -> String? {
        // SAFETY: get_version returns a static NUL-terminated string (or, broken, NULL).
        guard let version = unsafe CNative.get_version() else { return nil }
        return try unsafe String(strictCString: version, throwing: NativeError.self)
    }

    /// Copies `name` into the library; `false` when refused. `set_name`.
    static func set_name(_ name: String) throws(NativeError) -> Bool {
        // SAFETY: the pointer is a NUL-terminated string valid during the closure;
        // set_name copies it before returning.
        try unsafe name.withCheckedCString { (pointer) throws(NativeError) in unsafe CNative.set_name(pointer) }
    }

    /// The library's name, or `nil` when none is set. `get_name`.
    ///
    /// The caller excludes `set_name` and `native_clear_name` meanwhile: the pointer `get_name`
    /// returns dies at the next of either.
    static func get_name() throws(NativeError) -> String? {
        // SAFETY: NULL or the library's copy, valid until the next set_name or
        // native_clear_name, which the caller excludes while it is copied here.
        guard let name = unsafe CNative.get_name() else { return nil }
        return try unsafe String(strictCString: name, throwing: NativeError.self)
    }

    /// Forgets the library's name. `native_clear_name`.
    static func native_clear_name() {
        CNative.native_clear_name()
    }

    // MARK: Plain calls

    /// `compute_hash`, through the Span overload native.h's annotations give.
    static func compute_hash(_ bytes: Span<UInt8>) -> UInt64 {
        CNative.compute_hash(bytes)
    }

    /// libc's `strlen` of a checked C string.
    @inlinable
    static func strlen(_ string: String) throws(NativeError) -> Int {
        // SAFETY: the pointer is a NUL-terminated string valid during the closure.
        try unsafe string.withCheckedCString { (pointer) throws(NativeError) in unsafe Glibc.strlen(pointer) }
    }

    /// libc's `strcmp` of two checked C strings.
    static func strcmp(_ first: String, _ second: String) throws(NativeError) -> Int32 {
        // SAFETY: both pointers are NUL-terminated strings valid during the closures, and
        // strcmp reads no further than their NULs.
        try unsafe first.withCheckedCString { (lhs) throws(NativeError) in
            try unsafe second.withCheckedCString { (rhs) throws(NativeError) in unsafe Glibc.strcmp(lhs, rhs) }
        }
    }

    /// Doubles each value, saturating; the count, or -1 when refused. `process_array`.
    static func process_array(_ values: inout MutableSpan<Int32>) -> Int32 {
        CNative.process_array(&values)
    }

    // MARK: Arrays and buffers

    /// `sum_array`.
    static func sum_array(_ values: Span<Float>) -> Float {
        CNative.sum_array(values)
    }

    /// `modify_array`.
    static func modify_array(_ values: inout MutableSpan<CInt>) {
        CNative.modify_array(&values)
    }

    /// The largest size `allocate_buffer` and `create_buffer` accept.
    static let bufferMaximumSize = Int(NATIVE_BUFFER_MAX_SIZE)

    /// `size` zeroed bytes owned by Swift, freed with `free_buffer`; `nil` when refused.
    /// `allocate_buffer`.
    static func allocate_buffer(size: Int) throws(NativeError) -> OwnedBuffer<UInt8>? {
        let cSize = try Int(checkedSize: size, throwing: NativeError.self)
        // SAFETY: allocate_buffer returns NULL or `size` bytes freed with free_buffer.
        return unsafe OwnedBuffer(
            adopting: CNative.allocate_buffer(cSize), count: size, free: { unsafe free_buffer($0) })
    }

    /// `fill_buffer`.
    static func fill_buffer(_ bytes: inout MutableSpan<UInt8>, with pattern: UInt8) {
        CNative.fill_buffer(&bytes, pattern)
    }

    // MARK: Structs

    /// `calculate_distance`.
    @inlinable
    static func calculate_distance(_ first: Point, _ second: Point) -> Double {
        CNative.calculate_distance(first.c, second.c)
    }

    /// `rect_contains_point`.
    @inlinable
    static func rect_contains_point(_ rect: Rect, contains point: Point) -> Bool {
        let cRect = CNative.Rect(top_left: rect.corner.c, bottom_right: rect.oppositeCorner.c)
        // SAFETY: the pointer refers to `cRect` only during the call; rect_contains_point
        // reads the one struct through a `const` pointer and keeps nothing, so there is no
        // write to guard: the unprotected form skips the stack-protector canary the
        // compiler adds to a local whose address C receives, which withUnsafePointer(to:)
        // and `&` both pay (struct-by-pointer; docs/BENCHMARKS.md).
        return unsafe _withUnprotectedUnsafePointer(to: cRect) { unsafe CNative.rect_contains_point($0, point.c) }
    }

    /// The largest `steps` `create_gradient` accepts.
    static let gradientMaximumSteps = Int(NATIVE_GRADIENT_MAX_STEPS)

    /// `steps` colours from `start` to `end`, copied out of the array `create_gradient`
    /// allocates, which is freed with `free_colors`; `nil` when refused.
    static func create_gradient(from start: Color, to end: Color, steps: Int) throws(NativeError) -> [Color]? {
        let cSteps = try CInt(checked: steps, throwing: NativeError.self)
        // SAFETY: create_gradient returns NULL or an array of exactly `steps` colours (it
        // accepted `cSteps`, equal to `steps`) that the caller frees with free_colors.
        guard
            let colors = unsafe OwnedBuffer(
                adopting: CNative.create_gradient(start.c, end.c, cSteps), count: steps,
                free: { unsafe free_colors($0) })
        else { return nil }
        return colors.withSpan { span in span.indices.map { Color(span[$0]) } }
    }

    // MARK: Callbacks

    /// Registers `handler` for the length of `process_items`, then unregisters it.
    /// `register_callback`, `process_items`, `unregister_callback`. The caller serialises
    /// use of libnative's single callback slot.
    static func process_items(_ items: Span<CInt>, _ handler: (CInt) -> Void) {
        // SAFETY: the context lives for the closure only. The trampoline is registered with
        // it and unregistered below, before the context ends.
        unsafe CallbackContext<CInt>.withContext(handler) { context in
            unsafe register_callback(
                { value, context in unsafe CallbackContext<CInt>.deliver(value, to: context) }, context)
            CNative.process_items(items)
            unregister_callback()
        }
    }

    /// `native_callback_is_registered`.
    static func native_callback_is_registered() -> Bool {
        CNative.native_callback_is_registered()
    }

    // MARK: Opaque handles

    /// An `OpaqueHandle *` from `create_handle`, destroyed once with `destroy_handle`.
    /// `@safe`: the raw pointer never leaves this file.
    @safe
    struct Handle: ~Copyable, @unchecked Sendable {
        // Sendable: see NativeHandle, whose only state this is.
        fileprivate let owner: OwnedHandle<OpaquePointer>
    }

    /// The largest configuration `create_handle` accepts, in bytes.
    static let handleMaximumConfigurationSize = Int(NATIVE_HANDLE_MAX_CONFIG)

    /// A handle holding a copy of `configuration`; `nil` when refused. `create_handle`.
    static func create_handle(_ configuration: Span<UInt8>) -> Handle? {
        // SAFETY: create_handle copies the bytes; it returns NULL or a handle the caller
        // destroys with destroy_handle, which only the owner calls.
        guard
            let owner = unsafe OwnedHandle(
                adopting: CNative.create_handle(configuration), free: { unsafe destroy_handle($0) })
        else { return nil }
        return unsafe Handle(owner: owner)
    }

    /// `use_handle`.
    static func use_handle(_ handle: borrowing Handle) -> Int32 {
        // SAFETY: the handle is alive for the borrow; use_handle only reads it.
        unsafe handle.owner.withUnsafeHandle { unsafe CNative.use_handle($0) }
    }

    // MARK: Zero-copy buffers

    /// A `void *` buffer from `create_buffer`, destroyed once with `destroy_buffer`.
    /// `@safe`: the raw pointer never leaves this file.
    @safe
    struct Buffer: ~Copyable {
        fileprivate let owner: OwnedHandle<UnsafeMutableRawPointer>
    }

    /// A buffer of `size` zeroed bytes; `nil` when refused. `create_buffer`.
    static func create_buffer(size: Int) throws(NativeError) -> Buffer? {
        let cSize = try Int(checkedSize: size, throwing: NativeError.self)
        // SAFETY: create_buffer returns NULL or a handle destroyed with destroy_buffer,
        // which only the owner calls.
        guard
            let owner = unsafe OwnedHandle(adopting: CNative.create_buffer(cSize), free: { unsafe destroy_buffer($0) })
        else { return nil }
        return unsafe Buffer(owner: owner)
    }

    /// `get_buffer_size`.
    static func get_buffer_size(_ buffer: borrowing Buffer) -> Int {
        // SAFETY: the buffer is alive for the borrow; get_buffer_size only reads it.
        unsafe buffer.owner.withUnsafeHandle { unsafe CNative.get_buffer_size($0) }
    }

    /// Calls `body` with the buffer's `count` bytes (`get_buffer_data`), valid only during
    /// `body`; a NULL data pointer is an empty view.
    static func get_buffer_data<R: ~Copyable, E: Error>(
        _ buffer: borrowing Buffer, count: Int, _ body: (Span<UInt8>) throws(E) -> R
    ) throws(E) -> R {
        // SAFETY: a non-NULL get_buffer_data result holds `count` (get_buffer_size) bytes
        // until destroy_buffer, which cannot run during this borrow. A NULL one (which the
        // tutorial passes to from_raw_parts — undefined behaviour) becomes an empty view.
        try unsafe buffer.owner.withUnsafeHandle { (handle) throws(E) -> R in
            guard let data = unsafe CNative.get_buffer_data(handle) else { return try body(Span()) }
            return try unsafe body(Span(_unsafeStart: data, count: count))
        }
    }

    /// Calls `body` with a mutable view of the buffer's `count` bytes, valid only during
    /// `body`. The caller has exclusive access to the buffer.
    static func get_buffer_data<R: ~Copyable, E: Error>(
        mutating buffer: borrowing Buffer, count: Int, _ body: (inout MutableSpan<UInt8>) throws(E) -> R
    ) throws(E) -> R {
        // SAFETY: as in the read-only get_buffer_data above; the caller's exclusive access makes this the only view.
        try unsafe buffer.owner.withUnsafeHandle { (handle) throws(E) -> R in
            guard let data = unsafe CNative.get_buffer_data(handle) else {
                var empty = MutableSpan<UInt8>()
                return try body(&empty)
            }
            var span = unsafe MutableSpan(_unsafeStart: data, count: count)
            return try body(&span)
        }
    }

    /// Adds 1 to each byte; 0 on success. `process_buffer`.
    static func process_buffer(_ buffer: borrowing Buffer) -> Int32 {
        // SAFETY: the buffer is alive and the caller's to change during the call.
        unsafe buffer.owner.withUnsafeHandle { unsafe CNative.process_buffer($0) }
    }

    // MARK: Anti-patterns

    /// The number of bytes of library data.
    static let dataLength = Int(NATIVE_DATA_LENGTH)

    /// A copy of the library's static data, or `nil` when `get_data` returns NULL.
    static func get_data() -> [UInt8]? {
        // SAFETY: get_data returns NULL or a static array of NATIVE_DATA_LENGTH bytes.
        guard let data = unsafe CNative.get_data() else { return nil }
        return unsafe Array(UnsafeBufferPointer(start: data, count: dataLength))
    }

    /// A fresh copy of the library data, freed with `free_data`; `nil` when out of memory.
    /// `allocate_data`.
    static func allocate_data() -> OwnedBuffer<UInt8>? {
        // SAFETY: allocate_data returns NULL or NATIVE_DATA_LENGTH bytes freed with free_data.
        unsafe OwnedBuffer(adopting: CNative.allocate_data(), count: dataLength, free: { unsafe free_data($0) })
    }

    /// Hands libnative `new` to keep without copying it (or NULL to forget), then frees
    /// `old`, which C no longer holds. `store_string`, then libc's `free`.
    @unsafe
    static func store_string(with new: UnsafeMutablePointer<CChar>?, freeing old: UnsafeMutablePointer<CChar>?) {
        // SAFETY: the caller keeps `new` alive until the next replacement, and owns `old`,
        // a malloc'd block (or NULL) that C stops holding here, before it is freed.
        unsafe CNative.store_string(new)
        unsafe free(old)
    }

    /// The string libnative keeps, or `nil` when it keeps none. `stored_string`.
    @unsafe
    static func stored_string() throws(NativeError) -> String? {
        // SAFETY: the caller keeps the stored memory alive and unchanged during the call.
        guard let stored = unsafe CNative.stored_string() else { return nil }
        return try unsafe String(strictCString: stored, throwing: NativeError.self)
    }

    // MARK: Events

    /// Sends an event to every registered handler. `native_trigger_event_ex`.
    static func native_trigger_event_ex(type: Int32, payload: RawSpan) {
        CNative.native_trigger_event_ex(type, payload)
    }

    /// `native_event_handler_count`.
    static func native_event_handler_count() -> Int {
        CNative.native_event_handler_count()
    }

    /// Registers `context` with libnative; events reach its ``EventReceiver/receive(_:)``
    /// on the thread that triggered them. `native_register_event_handler_ex`; the
    /// registration's end calls `unregister_event_handler`, which waits for running calls.
    static func native_register_event_handler_ex(_ receiver: some EventReceiver) throws(NativeError)
        -> CallbackRegistration
    {
        // SAFETY: the trampoline reads an EventReceiverBox, which is the context registered
        // here; the registration keeps it alive until it has unregistered.
        try unsafe CallbackRegistration(
            context: EventReceiverBox(receiver: receiver),
            register: { (userData) throws(NativeError) -> CInt in
                let id = unsafe CNative.native_register_event_handler_ex(eventTrampoline, userData)
                guard id > 0 else { throw lastError(of: "register_event_handler") }
                return id
            },
            unregister: { id in unregister_event_handler(id) })
    }

    // MARK: Event sources

    /// A `native_event_source *`, stopped and freed once with `native_event_source_stop`.
    /// `@safe`: the raw pointer never leaves this file.
    @safe
    struct EventSourceHandle: ~Copyable {
        fileprivate let owner: OwnedHandle<OpaquePointer>
    }

    /// The largest payload an event source sends.
    static let eventSourceMaximumPayload = Int(NATIVE_EVENT_SOURCE_MAX_PAYLOAD)

    /// A C thread triggering events; `nil` when refused. `native_event_source_start`.
    static func native_event_source_start(
        type: Int32, count: Int, intervalMicroseconds: UInt32, payloadSize: Int
    ) throws(NativeError) -> EventSourceHandle? {
        let size = try Int(checkedSize: payloadSize, throwing: NativeError.self)
        // SAFETY: native_event_source_start returns NULL or a source freed with
        // native_event_source_stop, which only the owner calls.
        let raw = unsafe CNative.native_event_source_start(type, count, intervalMicroseconds, size)
        guard let owner = unsafe OwnedHandle(adopting: raw, free: { unsafe native_event_source_stop($0) })
        else { return nil }
        return unsafe EventSourceHandle(owner: owner)
    }

    /// `native_event_source_fired`.
    static func native_event_source_fired(_ source: borrowing EventSourceHandle) -> Int {
        // SAFETY: the source is alive for the borrow; the count is read atomically.
        unsafe source.owner.withUnsafeHandle { unsafe CNative.native_event_source_fired($0) }
    }

    /// `native_event_source_wait`.
    static func native_event_source_wait(_ source: borrowing EventSourceHandle) {
        // SAFETY: the source is alive for the borrow.
        unsafe source.owner.withUnsafeHandle { unsafe CNative.native_event_source_wait($0) }
    }

    // MARK: Legacy component

    /// `legacy_add`.
    static func legacy_add(_ amount: Int64) { CNative.legacy_add(amount) }
    /// `legacy_reset`.
    static func legacy_reset() { CNative.legacy_reset() }
    /// `legacy_total`.
    static func legacy_total() -> Int64 { CNative.legacy_total() }
    /// `legacy_updates`.
    static func legacy_updates() -> Int64 { CNative.legacy_updates() }
}

// MARK: C ↔ Swift values

extension Point {
    @usableFromInline
    var c: CNative.Point { CNative.Point(x: x, y: y) }
}

extension Color {
    init(_ c: CNative.Color) {
        self.init(r: c.r, g: c.g, b: c.b, a: c.a)
    }

    var c: CNative.Color { CNative.Color(r: r, g: g, b: b, a: a) }
}

/// The one context type libnative's event callback reaches, so one trampoline serves every
/// receiver. It keeps a closure specialised for the receiver's type rather than an
/// existential: no witness-table calls per event (the instruction budget's
/// `event-registry` holds to that). `@unsafe`: `deliver` must be given the bytes C lends.
@unsafe
private final class EventReceiverBox: Sendable {
    let deliver: @Sendable (Int32, UnsafeRawPointer?, Int) -> Void

    init<Receiver: EventReceiver>(receiver: Receiver) {
        // SAFETY: the closure is stored, not called, here; see its body for the call.
        unsafe deliver = { type, data, length in
            // SAFETY: called only by the trampoline, with `length` bytes at `data` that C
            // lends for the call; the span does not outlive it. NULL is an empty payload.
            let bytes = unsafe UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length)
            receiver.receive(type: type, payload: unsafe Span(_unsafeBytes: bytes))
        }
    }
}

private let eventTrampoline: native_event_callback_ex = { type, data, length, userData in
    // SAFETY: userData is the EventReceiverBox of a live registration (libnative does not
    // call a handler after its unregister returns); data holds `length` bytes for the call.
    // The box is held, not borrowed, for the call: a handler may stop its own system (C's
    // unregister does not wait for the calling thread's own call) and drop the last
    // reference to it, and the box keeps the dispatcher and its handlers alive until the
    // call returns. That costs a retain and a release per event (event-registry;
    // docs/BENCHMARKS.md).
    guard let box = unsafe CallbackRegistration.context(from: userData, as: EventReceiverBox.self) else {
        return
    }
    unsafe box.deliver(type, data, length)
}
