// The handlers of an event system: appended rarely, read on every event without a lock.

import SafeFFI
import Synchronization

/// Event handlers in the order they were added, each with its event type.
///
/// An event reads the list with one atomic load and no lock, retain or hash: entries are
/// only ever appended, never changed, moved or removed while the list lives, so an entry
/// published once stays readable. Adding takes a lock, which only adders contend for.
///
/// Entries live in segments that never move: segment k holds `firstSegment << k` entries,
/// allocated when the first of them is added. A reader loads the published count
/// (acquiring), then reads that many entries; the adder initialised them, and the segment
/// pointers leading to them, before it published the count (releasing).
///
/// `@safe`: the raw storage never leaves this type, and every read is of an entry below
/// the published count.
@safe
final class EventHandlerList: @unchecked Sendable {
    // @unchecked Sendable: entries are written only under `adding` and before the releasing
    // store that publishes them, read only below the count an acquiring load returned, and
    // their handlers are Sendable.
    /// A handler: it reads the payload in place, during its call only.
    typealias Handler = @Sendable (Span<UInt8>) throws -> Void

    /// A handler, kept in an object so that an event can call it borrowed: a closure read
    /// from raw memory is retained and released around its call, a closure in a `let` of an
    /// object lent with `_withUnsafeGuaranteedRef` is not (event-registry;
    /// docs/BENCHMARKS.md).
    private final class Stored: Sendable {
        let handler: Handler
        init(_ handler: @escaping Handler) { self.handler = handler }
    }

    /// An entry holds a +1 reference to its `Stored`, released in deinit. `@unsafe`: only
    /// the list, under its invariant, reads one.
    @unsafe
    private struct Entry {
        let type: Int32
        let stored: Unmanaged<Stored>
    }

    private static let firstSegment = 4
    /// Enough segments for more entries than memory can hold.
    private static let segmentCount = 48

    // SAFETY (class invariant): `segments` holds `segmentCount` pointers, allocated and
    // initialised for the object's life. Segment k, once non-nil, holds `firstSegment << k`
    // slots; the first `published` entries across the segments, in order, are initialised,
    // never written again, and each holds its `Stored` retained. Slots and pointers at or past `published` are written only
    // by an adder holding `adding`. Everything is freed in deinit.
    private let segments: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>
    private let published = Atomic<Int>(0)
    /// Serialises adders; readers never take it.
    private let adding = Serialized(())

    init() {
        // SAFETY: fresh memory, initialised at once and freed in deinit.
        unsafe segments = .allocate(capacity: Self.segmentCount)
        unsafe segments.initialize(repeating: nil, count: Self.segmentCount)
    }

    deinit {
        // SAFETY: no reader or adder can run in deinit; exactly `published` entries are
        // initialised, segment by segment (class invariant).
        var remaining = published.load(ordering: .relaxed)
        for index in 0..<Self.segmentCount {
            guard let segment = unsafe segments[index] else { break }
            let initialised = min(remaining, Self.firstSegment << index)
            for offset in 0..<initialised {
                unsafe segment[offset].stored.release()
            }
            unsafe segment.deinitialize(count: initialised)
            unsafe segment.deallocate()
            remaining -= initialised
        }
        unsafe segments.deallocate()
    }

    /// Appends `handler` for events of `type`; events triggered after this returns see it.
    func append(_ handler: @escaping Handler, for type: Int32) {
        adding.withLock { _ in
            let count = published.load(ordering: .relaxed)
            var index = 0
            var offset = count
            while offset >= Self.firstSegment << index {
                offset -= Self.firstSegment << index
                index += 1
            }
            precondition(index < Self.segmentCount, "too many event handlers")
            // SAFETY: only adders, holding `adding`, write past `published`; segment `index`
            // has `firstSegment << index` slots and `offset` is below that, and the slot is
            // uninitialised (it is at `published`). The releasing store publishes the slot
            // and the segment pointer together.
            if unsafe segments[index] == nil {
                unsafe segments[index] = .allocate(capacity: Self.firstSegment << index)
            }
            let entry = unsafe Entry(type: type, stored: .passRetained(Stored(handler)))
            unsafe (segments[index].unsafelyUnwrapped + offset).initialize(to: entry)
            published.store(count + 1, ordering: .releasing)
        }
    }

    /// Calls each handler for `type` that was added before this call began with `payload`,
    /// in the order they were added; a handler's error goes to `onError`, and the next
    /// handler runs. Handlers added meanwhile (by a handler, or another thread) are not
    /// called. Each handler is called in place, from the list: not retained per call.
    func callHandlers(ofType type: Int32, with payload: Span<UInt8>, onError: (any Error) -> Void) {
        var remaining = published.load(ordering: .acquiring)
        var index = 0
        while remaining > 0 {
            // SAFETY: the acquiring load saw `published` after the adder initialised these
            // entries and the pointer to their segment; they are never written again or
            // freed while `self` lives, which the caller's reference guarantees.
            let segment = unsafe segments[index].unsafelyUnwrapped
            let visited = min(remaining, Self.firstSegment << index)
            for offset in 0..<visited where unsafe segment[offset].type == type {
                do {
                    // SAFETY: as above: an initialised entry, never written while `self` lives,
                    // whose `Stored` it keeps alive until deinit: lent for the call unretained.
                    try unsafe segment[offset].stored._withUnsafeGuaranteedRef { try $0.handler(payload) }
                } catch {
                    onError(error)
                }
            }
            remaining -= visited
            index += 1
        }
    }
}
