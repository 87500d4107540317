// The code of SafeFFI's articles, compiled and run: every ```swift block of
// Sources/SafeFFI/SafeFFI.docc is code of this file, written against the fixture's generic
// C library ("every block is code of this file" below checks it).
import CSafeFFIFixture
import Foundation
import SafeFFI
import TestSupport
import Testing

// MARK: - Ownership and freeing

/// "Hello, NAME!", from a string C allocates: decoded, then freed on every path.
/// The corresponding C function is `fixture_greeting`.
func greeting(for name: String) throws(BoundaryError) -> String? {
    // SAFETY: the name is lent for the closure; fixture_greeting copies it.
    try unsafe name.withCheckedCString { (name) throws(BoundaryError) in
        // SAFETY: fixture_greeting returns a malloc'd string, or NULL, freed with fixture_string_free.
        try unsafe OwnedCString.take(fixture_greeting(name), free: { unsafe fixture_string_free($0) })
    }
}

// MARK: - Structs

/// A point in the plane: the library's `fixture_point`, with Swift conformances.
struct Point: Hashable, Sendable {
    var x: Double
    var y: Double

    init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    init(_ point: fixture_point) {
        self.init(x: point.x, y: point.y)
    }

    var cValue: fixture_point { fixture_point(x: x, y: y) }

    /// The distance to `other`. The corresponding C function is `fixture_distance`.
    func distance(to other: Point) -> Double {
        fixture_distance(cValue, other.cValue)
    }
}

/// A rectangle: the library's `fixture_rect`.
struct Rect: Hashable, Sendable {
    var origin: Point
    var width: Double
    var height: Double

    /// Whether `point` lies inside the rectangle or on its edge.
    /// The corresponding C function is `fixture_rect_contains`.
    func contains(_ point: Point) -> Bool {
        var rect = fixture_rect(origin: origin.cValue, width: width, height: height)
        // SAFETY: `&rect` points at a local for the length of the call; C only reads it.
        return unsafe fixture_rect_contains(&rect, point.cValue) != 0
    }
}

/// Why a path could not be made.
enum PathError: Error, Equatable, BoundaryErrorRepresentable {
    /// The number of steps does not fit C's `int`.
    case tooManySteps(BoundaryError)
    /// Fewer than 2 steps: C made no path.
    case tooFewSteps

    init(_ error: BoundaryError) { self = .tooManySteps(error) }
}

extension Point {
    /// `steps` points evenly spaced from `from` to `to`, both included.
    /// The corresponding C function is `fixture_path`.
    static func path(from: Point, to: Point, steps: Int) throws(PathError) -> [Point] {
        let count = try CInt(checked: steps, throwing: PathError.self)
        // SAFETY: fixture_path returns `steps` points, or NULL, freed with fixture_array_free.
        guard
            let points = unsafe OwnedBuffer(
                adopting: fixture_path(from.cValue, to.cValue, count), count: steps,
                free: { unsafe fixture_array_free($0) })
        else { throw .tooFewSteps }
        return points.copyElements().map { Point($0) }
    }
}

// MARK: - Opaque handles

/// Why a counter could not be created.
enum CounterError: Error, Equatable, BoundaryErrorRepresentable {
    /// C refused the name (an empty one).
    case invalidName
    /// The name cannot be passed to C.
    case text(BoundaryError)

    init(_ error: BoundaryError) { self = .text(error) }
}

/// A named counter. C's counter is freed exactly once, when this value ends.
@safe
struct Counter: ~Copyable {
    private let handle: OwnedHandle<OpaquePointer>

    /// A counter at 0. The corresponding C function is `fixture_counter_create`.
    init(name: String) throws(CounterError) {
        // SAFETY: the name is lent for the call, which copies it.
        let created = try unsafe name.withCheckedCString { (name) throws(CounterError) in
            // SAFETY: as above.
            unsafe fixture_counter_create(name)
        }
        // SAFETY: a new counter, or NULL, that nothing else frees; fixture_counter_free destroys it.
        guard let handle = unsafe OwnedHandle(adopting: created, free: { unsafe fixture_counter_free($0) }) else {
            throw .invalidName
        }
        // SAFETY: the owner of the new counter, used only through withUnsafeHandle.
        unsafe self.handle = handle
    }

    /// Adds `amount`. The corresponding C function is `fixture_counter_add`.
    mutating func add(_ amount: Int) {
        // SAFETY: the handle is live during the call; `mutating` keeps calls from overlapping.
        unsafe handle.withUnsafeHandle { unsafe fixture_counter_add($0, amount) }
    }

    /// The current value. The corresponding C function is `fixture_counter_value`.
    var value: Int {
        // SAFETY: the handle is live during the call.
        unsafe handle.withUnsafeHandle { unsafe fixture_counter_value($0) }
    }
}

// MARK: - Thread safety

// Sendable: a C counter may move between threads, and only overlapping calls race; a change
// needs exclusive access to this ~Copyable owner (`mutating`), and reads do not race each other.
extension Counter: @unchecked Sendable {}

// MARK: - Error codes

/// Why a port could not be parsed, with the library's own message.
enum PortError: Error, Equatable, BoundaryErrorRepresentable {
    /// Not a decimal number (`FIXTURE_ERR_SYNTAX`).
    case syntax(message: String)
    /// A number outside 1...65535 (`FIXTURE_ERR_RANGE`).
    case outOfRange(message: String)
    /// A code this wrapper does not know, kept as it came.
    case unknown(code: CInt, message: String)
    /// The text cannot be passed to C.
    case text(BoundaryError)

    init(_ error: BoundaryError) { self = .text(error) }

    /// Classifies a failed call's status with this thread's last error message: call it
    /// right after the failing call, on the same thread.
    init(status: CInt) {
        // SAFETY: fixture_last_error returns this thread's message, a static NUL-terminated string.
        let message = (try? unsafe String(strictCString: fixture_last_error())) ?? "(not UTF-8)"
        switch status {
        case FIXTURE_ERR_SYNTAX: self = .syntax(message: message)
        case FIXTURE_ERR_RANGE: self = .outOfRange(message: message)
        default: self = .unknown(code: status, message: message)
        }
    }
}

/// A TCP port parsed from decimal text. The corresponding C function is `fixture_parse_port`.
func parsePort(_ text: String) throws(PortError) -> Int {
    var port: CInt = 0
    // SAFETY: the text is lent for the call; C writes `port`, a local, only on success.
    try unsafe text.withCheckedCString { (text) throws(PortError) in
        // SAFETY: as above.
        let status = unsafe fixture_parse_port(text, &port)
        guard status == FIXTURE_OK else { throw PortError(status: status) }
    }
    return Int(port)
}

// MARK: - Arrays, buffers and zero copy

/// The sum of `bytes`. The corresponding C function is `fixture_sum_bytes`, whose length is
/// an `unsigned short`.
func byteSum(_ bytes: Span<UInt8>) throws(BoundaryError) -> Int {
    // SAFETY: C reads `length` bytes from `start` during the call and keeps nothing.
    try unsafe bytes.withCArgument { (start, length: CUnsignedShort) throws(BoundaryError) in
        // SAFETY: as above.
        Int(unsafe fixture_sum_bytes(start, length))
    }
}

/// "Hello, NAME!", written by C into memory Swift provides.
/// The corresponding C function is `fixture_format_greeting`.
func formattedGreeting(for name: String) throws(BoundaryError) -> String {
    // SAFETY: the name is lent for the call, which reads it.
    try unsafe name.withCheckedCString { (name) throws(BoundaryError) in
        // SAFETY: the buffer is lent for one call of the closure; C writes at most `length` bytes.
        try unsafe String(cWritingUpTo: 8) { (buffer) throws(BoundaryError) in
            var length = buffer.count
            // SAFETY: as above.
            let status = unsafe fixture_format_greeting(name, buffer.baseAddress, &length)
            return status == 0 ? .wrote(length) : .needsCapacity(length)
        }
    }
}

// MARK: - Callbacks and their context

/// Calls `body` with each item, in order. The corresponding C function is `fixture_each`.
func forEachItem(_ items: [CInt], _ body: (CInt) -> Void) {
    // SAFETY: fixture_each calls back only during the call, with this context, and keeps
    // neither the context nor the items.
    unsafe CallbackContext<CInt>.withContext(body) { context in
        // SAFETY: as above.
        unsafe items.withUnsafeBufferPointer { buffer in
            // SAFETY: as above.
            unsafe fixture_each(
                buffer.baseAddress, buffer.count,
                { value, context in unsafe CallbackContext<CInt>.deliver(value, to: context) }, context)
        }
    }
}

/// Calls `body` with each item until it stops or throws; a thrown error is rethrown after C
/// has returned. The corresponding C function is `fixture_foreach`.
func visitItems<E: Error>(
    _ items: [CInt], _ body: (CInt) throws(E) -> IterationStep
) throws(E) -> IterationEnd<CInt> {
    // SAFETY: fixture_foreach calls back only during the call, with this context, and keeps
    // neither the context nor the items.
    try unsafe CallbackContext<CInt>.withContext(stoppable: body) { context in
        // SAFETY: as above.
        unsafe items.withUnsafeBufferPointer { buffer in
            // SAFETY: as above.
            unsafe fixture_foreach(
                buffer.baseAddress, buffer.count,
                { value, context in unsafe CallbackContext<CInt>.step(value, through: context) }, context)
        }
    }
}

/// Why a subscription could not be made.
enum SubscriptionError: Error, Equatable {
    /// Every slot of the source is taken.
    case noFreeSlot
}

/// What a subscription's C callback reaches through its `void *` context.
final class Subscriber: Sendable {
    let handler: @Sendable (CInt) -> Void

    init(_ handler: @escaping @Sendable (CInt) -> Void) {
        self.handler = handler
    }
}

/// The C side of every subscription: a function pointer, which captures nothing.
private let deliverEvent: fixture_event_callback = { event, context in
    // SAFETY: the context is the Subscriber of a live registration.
    unsafe CallbackRegistration.context(from: context, as: Subscriber.self)?.handler(event)
}

/// The library's event source, whose subscribers C keeps until they unsubscribe.
@safe
final class EventSource: @unchecked Sendable {
    // Sendable: fixture_source's functions take the source's own lock, so any thread may call
    // them; the handle is freed in deinit, after every subscription (each holds this object).
    private let handle: OwnedHandle<OpaquePointer>

    /// A source with 4 subscription slots, or `nil` when C is out of memory.
    /// The corresponding C function is `fixture_source_create`.
    init?() {
        // SAFETY: a new source, or NULL, that nothing else frees; fixture_source_free destroys it.
        guard
            let handle = unsafe OwnedHandle(
                adopting: fixture_source_create(), free: { unsafe fixture_source_free($0) })
        else { return nil }
        // SAFETY: the owner of the new source, used only through withUnsafeHandle.
        unsafe self.handle = handle
    }

    /// Calls `handler` with every event, on the emitting thread, until the registration ends.
    /// The corresponding C function is `fixture_source_subscribe`.
    func subscribe(_ handler: @escaping @Sendable (CInt) -> Void) throws(SubscriptionError) -> CallbackRegistration {
        // SAFETY: deliverEvent expects a Subscriber context, which the registration keeps until
        // fixture_source_unsubscribe (which waits for running calls) has returned.
        try unsafe CallbackRegistration(
            context: Subscriber(handler),
            register: { (context) throws(SubscriptionError) -> CInt in
                // SAFETY: as above.
                let id = unsafe handle.withUnsafeHandle { unsafe fixture_source_subscribe($0, deliverEvent, context) }
                guard id > 0 else { throw .noFreeSlot }
                return id
            },
            unregister: { id in self.unsubscribe(id) })
    }

    /// Calls every subscriber with `event`, and returns how many there were.
    /// The corresponding C function is `fixture_source_emit`.
    @discardableResult
    func emit(_ event: CInt) -> Int {
        // SAFETY: the handle is live while this object is.
        Int(unsafe handle.withUnsafeHandle { unsafe fixture_source_emit($0, event) })
    }

    /// The number of subscriptions. The corresponding C function is `fixture_source_subscriptions`.
    var subscriptions: Int {
        // SAFETY: the handle is live while this object is.
        Int(unsafe handle.withUnsafeHandle { unsafe fixture_source_subscriptions($0) })
    }

    private func unsubscribe(_ id: CInt) {
        // SAFETY: the handle is live while this object is.
        unsafe handle.withUnsafeHandle { unsafe fixture_source_unsubscribe($0, id) }
    }
}

// MARK: - Events and async

extension EventSource {
    /// The source's events as an async sequence. Its end (cancellation, or dropping it)
    /// unsubscribes.
    func events(
        bufferingPolicy: AsyncStream<CInt>.Continuation.BufferingPolicy
    ) throws(SubscriptionError) -> AsyncStream<CInt> {
        try CallbackStream.make(of: CInt.self, bufferingPolicy: bufferingPolicy) {
            (sink) throws(SubscriptionError) in
            try subscribe { sink.yield($0) }
        }
    }
}

// MARK: - Exporting to C

/// Upper-cases ASCII letters, for a C host that calls it through its plugin table.
/// The C declaration is `int example_upper(const char *input, char *output, size_t *output_len)`.
@c(example_upper)
func exampleUpper(
    _ input: UnsafePointer<CChar>?, _ output: UnsafeMutablePointer<CChar>?, _ outputLength: UnsafeMutablePointer<Int>?
) -> CInt {
    // SAFETY: the host passes NULL or a NUL-terminated input, and an output of *outputLength
    // bytes, valid during the call.
    guard let input = unsafe input, let outputLength = unsafe outputLength else { return FIXTURE_PLUGIN_INVALID_INPUT }
    // Nothing thrown may unwind into C: every failure becomes a status.
    let text: String
    do {
        // SAFETY: as above.
        text = try unsafe String(strictCString: input)
    } catch {
        return FIXTURE_PLUGIN_INVALID_INPUT
    }
    let upper = text.utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
    // SAFETY: as above.
    guard let output = unsafe output, unsafe upper.count <= outputLength.pointee else {
        // SAFETY: as above.
        unsafe outputLength.pointee = upper.count
        return FIXTURE_PLUGIN_TOO_SMALL
    }
    for (index, byte) in upper.enumerated() {
        // SAFETY: `output` holds *outputLength bytes, and `index` is below upper.count, which fits.
        unsafe output[index] = CChar(bitPattern: byte)
    }
    // SAFETY: as above.
    unsafe outputLength.pointee = upper.count
    return 0
}

/// Why a plugin run failed.
enum HostError: Error, Equatable, BoundaryErrorRepresentable {
    /// The host or the plugin returned this status.
    case status(CInt)
    /// The input or the output is not text C and Swift agree on.
    case text(BoundaryError)

    init(_ error: BoundaryError) { self = .text(error) }
}

/// Runs `plugin` over `input`, as the C host does. The corresponding C function is
/// `fixture_host_run`.
func runPlugin(_ plugin: fixture_plugin, on input: String) throws(HostError) -> String {
    var plugin = plugin
    // SAFETY: the input is lent for the call, which reads it.
    return try unsafe input.withCheckedCString { (input) throws(HostError) in
        // SAFETY: the buffer is lent for one call of the closure; the plugin writes at most
        // `length` bytes; the table is a local.
        try unsafe String(cWritingUpTo: 16) { (buffer) throws(HostError) in
            var length = buffer.count
            // SAFETY: as above.
            let status = unsafe fixture_host_run(&plugin, input, buffer.baseAddress, &length)
            switch status {
            case 0: return .wrote(length)
            case FIXTURE_PLUGIN_TOO_SMALL: return .needsCapacity(length)
            default: throw .status(status)
            }
        }
    }
}

// MARK: - The tests

struct TooLarge: Error, Equatable {
    let value: CInt
}

@Suite("The articles' examples", .serialized)
struct ArticleExamplesTests {
    @Test("Strings both ways: checked in, strict out, NULL named by the caller")
    func strings() throws {
        // SAFETY: fixture_word_count reads the NUL-terminated string lent for the closure.
        let words = try unsafe "Hello, C library".withCheckedCString { unsafe fixture_word_count($0) }
        #expect(words == 3)
        #expect(throws: BoundaryError.interiorNUL(offset: 5)) {
            // SAFETY: as above.
            try unsafe "Hello\0world".withCheckedCString { unsafe fixture_word_count($0) }
        }

        // SAFETY: fixture_version returns a static NUL-terminated string.
        let version = try unsafe String(strictCString: fixture_version())
        #expect(version == "2.1.0")
        // SAFETY: fixture_status_name returns a static string, or NULL for a code it does not know.
        let name = try unsafe fixture_status_name(99).map { (pointer) throws(BoundaryError) in
            // SAFETY: as above.
            try unsafe String(strictCString: pointer)
        }
        #expect(name == nil)
        #expect(throws: BoundaryError.invalidUTF8(offset: 3)) {
            // SAFETY: a static string whose bytes stop being UTF-8 at offset 3.
            try unsafe String(strictCString: fixture_malformed_string(3))
        }

        // SAFETY: a known code's name is a static NUL-terminated string.
        #expect(try unsafe String(strictCString: fixture_status_name(FIXTURE_ERR_RANGE)) == "out of range")
    }

    @Test("Ownership and freeing: every string and array C allocates is freed once")
    func ownership() throws {
        let strings = fixture_strings_live()
        let arrays = fixture_arrays_live()

        #expect(try greeting(for: "Ada") == "Hello, Ada!")
        #expect(throws: BoundaryError.invalidUTF8(offset: 8)) {
            // SAFETY: a malloc'd "Hello, x\x80y!", freed with fixture_string_free after the failed decode.
            try unsafe OwnedCString.take(
                fixture_greeting(fixture_malformed_string(5)), free: { unsafe fixture_string_free($0) })
        }
        #expect(throws: BoundaryError.interiorNUL(offset: 2)) { try greeting(for: "Al\0") }

        // The owners end, and free, at the end of this scope.
        do {
            // SAFETY: the string is the owner's alone; fixture_string_free runs once, when it ends.
            let owned = unsafe OwnedCString(
                adopting: fixture_greeting("Grace"), free: { unsafe fixture_string_free($0) })
            #expect(try owned?.decode() == "Hello, Grace!")

            // SAFETY: fixture_squares returns 4 ints, or NULL, freed with fixture_array_free.
            let squares = unsafe OwnedBuffer(
                adopting: fixture_squares(4), count: 4, free: { unsafe fixture_array_free($0) })
            #expect(squares?.copyElements() == [0, 1, 4, 9])
        }

        #expect(fixture_strings_live() == strings)
        #expect(fixture_arrays_live() == arrays)
    }

    @Test("Structs: by value, by pointer, and an array of them with a checked count")
    func structs() throws {
        let arrays = fixture_arrays_live()

        #expect(Point(x: 0, y: 0).distance(to: Point(x: 3, y: 4)) == 5.0)
        let rect = Rect(origin: Point(x: 0, y: 0), width: 10, height: 10)
        #expect(rect.contains(Point(x: 5, y: 5)))
        #expect(!rect.contains(Point(x: 11, y: 5)))

        let path = try Point.path(from: Point(x: 0, y: 0), to: Point(x: 10, y: 5), steps: 3)
        #expect(path == [Point(x: 0, y: 0), Point(x: 5, y: 2.5), Point(x: 10, y: 5)])
        #expect(throws: PathError.tooManySteps(BoundaryError.outOfRange(1 << 32, for: CInt.self))) {
            try Point.path(from: Point(x: 0, y: 0), to: Point(x: 1, y: 1), steps: 1 << 32)
        }
        #expect(throws: PathError.tooFewSteps) {
            try Point.path(from: Point(x: 0, y: 0), to: Point(x: 1, y: 1), steps: 1)
        }

        #expect(fixture_arrays_live() == arrays)
    }

    @Test("Opaque handles: one owner, freed once, with an error for a refused name")
    func handles() throws {
        let live = fixture_counters_live()
        do {
            var requests = try Counter(name: "requests")
            requests.add(2)
            requests.add(3)
            #expect(requests.value == 5)
            #expect(fixture_counters_live() == live + 1)
        }
        #expect(fixture_counters_live() == live)

        #expect(throws: CounterError.invalidName) { _ = try Counter(name: "") }
        #expect(throws: CounterError.text(.interiorNUL(offset: 1))) { _ = try Counter(name: "a\0b") }
        #expect(fixture_counters_live() == live)
    }

    @Test("Error codes: a typed error with the code's meaning and C's message")
    func errorCodes() throws {
        #expect(try parsePort("8080") == 8080)
        #expect(throws: PortError.syntax(message: "'80a' is not a number")) { try parsePort("80a") }
        #expect(throws: PortError.outOfRange(message: "70000 is not a port (1-65535)")) { try parsePort("70000") }
        #expect(throws: PortError.text(.interiorNUL(offset: 2))) { try parsePort("80\0") }
    }

    @Test("Arrays, buffers and zero copy: lent, written by C, owned")
    func buffers() throws {
        let bytes: [UInt8] = [1, 2, 3]
        #expect(try byteSum(bytes.span) == 6)
        let large = [UInt8](repeating: 1, count: 70_000)
        #expect(throws: BoundaryError.outOfRange(70_000, for: CUnsignedShort.self)) {
            try byteSum(large.span)
        }

        var values: [CInt] = [1, 2, 3]
        do {
            var span = values.mutableSpan
            // SAFETY: C writes within the `length` ints at `start`, during the call only.
            try unsafe span.withCArgument { (start, length: CInt) throws(BoundaryError) in
                // SAFETY: as above.
                unsafe fixture_increment(start, length)
            }
        }
        #expect(values == [2, 3, 4])

        #expect(try formattedGreeting(for: "Ada") == "Hello, Ada!")
        #expect(try formattedGreeting(for: "") == "Hello, !")

        let arrays = fixture_arrays_live()
        var total: CInt = 0
        // SAFETY: fixture_squares returns 5 ints, or NULL, freed with fixture_array_free.
        if var squares = unsafe OwnedBuffer(
            adopting: fixture_squares(5), count: 5, free: { unsafe fixture_array_free($0) })
        {
            squares.withMutableSpan { $0[0] = -1 }
            squares.withSpan { span in
                for index in span.indices { total += span[index] }
            }
        }
        #expect(total == 29)
        #expect(fixture_arrays_live() == arrays)
    }

    @Test("Annotate, then wrap: annotated C functions take a Span, with no unsafe")
    func annotateThenWrap() {
        let text = Array("Wikipedia".utf8)
        let checksum = fixture_checksum(text.span)  // no pointer, no length, no unsafe
        #expect(checksum == 0x11E6_0398)

        var buffer = [UInt8](repeating: 0, count: 4)
        do {
            var span = buffer.mutableSpan
            fixture_fill(&span, 250)
        }
        #expect(buffer == [250, 251, 252, 253])
    }

    @Test("Callbacks and their context: lent for a call, stopped by the closure, kept by C")
    func callbacks() throws {
        var received: [CInt] = []
        forEachItem([10, 20, 30]) { received.append($0) }
        #expect(received == [10, 20, 30])

        var seen: [CInt] = []
        let end = try visitItems([1, 2, 3, 4]) { (value) throws(TooLarge) in
            seen.append(value)
            return value == 2 ? .stop : .continue
        }
        #expect(seen == [1, 2])
        #expect(end.status == 1 && end.stoppedByHandler)
        #expect(throws: TooLarge(value: 3)) {
            try visitItems([1, 3, 5]) { (value) throws(TooLarge) in
                guard value < 3 else { throw TooLarge(value: value) }
                return .continue
            }
        }

        let source = try #require(EventSource())
        let events = Serialized([CInt]())
        let subscription = try source.subscribe { event in events.withLock { $0.append(event) } }
        source.emit(1)
        source.emit(2)
        subscription.end()
        source.emit(3)
        #expect(events.withLock { $0 } == [1, 2])
        #expect(source.subscriptions == 0)
    }

    @Test("a source's slots run out with an exact error, and ending frees them")
    func subscriptionSlots() throws {
        let source = try #require(EventSource())
        let first = try source.subscribe { _ in }
        let second = try source.subscribe { _ in }
        let third = try source.subscribe { _ in }
        let fourth = try source.subscribe { _ in }
        #expect(throws: SubscriptionError.noFreeSlot) { _ = try source.subscribe { _ in } }
        #expect(source.emit(0) == 4)
        first.end()
        second.end()
        third.end()
        fourth.end()
        #expect(source.subscriptions == 0)
    }

    @Test("the context lives exactly as long as its registration")
    func contextLifetime() throws {
        final class Probe: Sendable {}
        let source = try #require(EventSource())
        weak var watched: Probe?
        do {
            let probe = Probe()
            watched = probe
            let subscription = try source.subscribe { _ in withExtendedLifetime(probe) {} }
            #expect(watched != nil)
            subscription.end()
        }
        #expect(watched == nil)
    }

    @Test("Events and async: C's events as an AsyncStream whose end unsubscribes")
    func events() async throws {
        let source = try #require(EventSource())
        do {
            let events = try source.events(bufferingPolicy: .unbounded)
            source.emit(1)
            source.emit(2)
            source.emit(3)
            var received: [CInt] = []
            for await event in events {
                received.append(event)
                if received.count == 3 { break }
            }
            #expect(received == [1, 2, 3])
        }
        CallbackStream.waitForPendingUnregistrations()
        #expect(source.subscriptions == 0)
    }

    @Test("Thread safety: a C object that is not thread-safe, reached through a lock")
    func threadSafety() async throws {
        let requests = Serialized(try Counter(name: "requests"))
        await withTaskGroup { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<1_000 { requests.withLock { $0.add(1) } }
                }
            }
        }
        #expect(requests.withLock { $0.value } == 4_000)
        #expect(requests.withLock { _ in requests.withLockUnlessReentrant { $0.value } } == nil)
    }

    @Test("Exporting to C: a Swift function in a C plugin table, failures as statuses")
    func exporting() throws {
        // SAFETY: exampleUpper has the transform's C signature, and reads and writes only what the host lends it.
        let plugin = unsafe fixture_plugin(abi_version: FIXTURE_PLUGIN_ABI, transform: exampleUpper)
        #expect(try runPlugin(plugin, on: "hello, c") == "HELLO, C")
        #expect(try runPlugin(plugin, on: "a longer input than 16 bytes") == "A LONGER INPUT THAN 16 BYTES")

        // SAFETY: as above.
        let stale = unsafe fixture_plugin(abi_version: FIXTURE_PLUGIN_ABI + 1, transform: exampleUpper)
        #expect(throws: HostError.status(-1)) { try runPlugin(stale, on: "hello") }

        var length = 16
        // SAFETY: a static input that is not UTF-8; nothing is written when it is refused.
        #expect(unsafe exampleUpper(fixture_malformed_string(0), nil, &length) == FIXTURE_PLUGIN_INVALID_INPUT)
        // SAFETY: NULL input: refused before anything is read.
        #expect(unsafe exampleUpper(nil, nil, &length) == FIXTURE_PLUGIN_INVALID_INPUT)
    }

    @Test("every swift block of SafeFFI's articles is code of this file")
    func mirrored() throws {
        let here = URL(filePath: #filePath)
        // "Annotating a C library you do not own": clients of notes generated for libgit2
        // and OpenSSL, compiled and run there.
        let mirrors = try DocCatalog.mirrors([
            here, PackagePaths.root.appending(path: "Tests/AnnotateTests/AnnotateTests.swift"),
        ])
        let blocks = try DocCatalog.swiftBlocks(in: PackagePaths.root.appending(path: "Sources/SafeFFI/SafeFFI.docc"))
        for block in blocks {
            #expect(
                mirrors.contains { $0.contains(block.code) },
                "\(block.file): a code block is not compiled here:\n\(block.code)")
        }
        #expect(blocks.count >= 14)
    }
}
