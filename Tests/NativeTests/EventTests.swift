import CNative
import Native
import SafeFFI
import Synchronization
import TestSupport
import Testing

/// Collects what handlers saw, from any thread.
final class EventLog: Sendable {
    let events = Serialized([Event]())
    let count = Atomic(0)

    func record(_ event: Event) {
        events.withLock { $0.append(event) }
        count.add(1, ordering: .sequentiallyConsistent)
    }

    var all: [Event] { events.withLock { $0 } }
}

/// A value the test's tasks and its watchdog read.
final class Probe: Sendable {
    let value = Atomic(0)
}

/// The bytes event n of a libnative event source carries.
func sourcePayload(sequence: Int, size: Int) -> [UInt8] {
    (0..<size).map { UInt8(truncatingIfNeeded: sequence + $0) }
}

extension NativeTests {
    @Suite("Events", .timeLimit(.minutes(1)))
    struct EventTests {
        @Test("the tutorial's example: a handler for type 1 receives its events, then stop unregisters")
        func tutorialExample() throws {
            let log = EventLog()
            let system = EventSystem()
            system.addHandler(forEventType: 1) { log.record($0) }
            try system.start()
            #expect(system.isRunning)
            #expect(registeredEventHandlerCount == 1)
            triggerEvent(type: 1, payload: Array(repeating: 0xAB, count: 64))
            triggerEvent(type: 2, payload: [1])
            system.stop()
            #expect(!system.isRunning)
            #expect(registeredEventHandlerCount == 0)
            triggerEvent(type: 1, payload: [2])
            #expect(log.all == [Event(type: 1, payload: Array(repeating: 0xAB, count: 64))])
        }

        @Test(
            "payloads arrive intact and exactly sized, never a fixed 64 bytes (seed defect 7)",
            arguments: [0, 1, 64, 65_536])
        func exactPayloads(size: Int) throws {
            let log = EventLog()
            let system = EventSystem()
            system.addHandler(forEventType: 5) { log.record($0) }
            try system.start()
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            triggerEvent(type: 5, payload: payload)
            system.stop()
            #expect(log.all == [Event(type: 5, payload: payload)])
        }

        @Test("a handler registers, triggers and stops from inside its own call (seed defect 7: no deadlock)")
        func reentrantHandlers() throws {
            let log = EventLog()
            let system = EventSystem()
            // Weak: the system owns its handlers, so a strong capture would be a cycle.
            system.addHandler(forEventType: 1) { [weak system] event in
                guard let system else { return }
                log.record(event)
                system.addHandler(forEventType: 2) { log.record($0) }
                triggerEvent(type: 2, payload: [9])
                let inner = EventSystem()
                inner.addHandler(forEventType: 3) { log.record($0) }
                try inner.start()
                triggerEvent(type: 3, payload: [3])
                inner.stop()
                system.stop()
            }
            try system.start()
            triggerEvent(type: 1, payload: [1])
            #expect(!system.isRunning)
            #expect(registeredEventHandlerCount == 0)
            #expect(log.all.map(\.type) == [1, 2, 3])
        }

        @Test("a handler may drop the last reference to its own system: its handlers live until the event returns")
        func handlerDropsItsSystem() throws {
            let log = EventLog()
            // The handler holds the system's only reference and drops it mid-event: the system
            // stops (C's unregister does not wait for the calling thread's own call) and
            // deinitialises while C is still inside the trampoline.
            let holder = Serialized<EventSystem?>(nil)
            weak var watched: EventSystem?
            do {
                let system = EventSystem()
                watched = system
                system.addPayloadHandler(forEventType: 31) { payload in
                    let last = holder.withLock { $0.take() }
                    _ = consume last
                    log.record(Event(type: 31, copying: payload))
                }
                system.addHandler(forEventType: 31) { log.record($0) }
                try system.start()
                holder.withLock { $0 = system }
            }
            #expect(watched != nil)
            triggerEvent(type: 31, payload: [4, 5, 6])
            #expect(watched == nil)
            #expect(registeredEventHandlerCount == 0)
            #expect(log.all == [Event(type: 31, payload: [4, 5, 6]), Event(type: 31, payload: [4, 5, 6])])
        }

        @Test("a throwing handler is reported, never unwound into C, and the others still run (seed defect 7)")
        func throwingHandler() throws {
            struct HandlerFailed: Error, Equatable { let value: UInt8 }
            let failures = Serialized([String]())
            let log = EventLog()
            let system = EventSystem { event, error in
                failures.withLock { $0.append("\(event.type): \(error)") }
            }
            system.addHandler(forEventType: 4) { throw HandlerFailed(value: $0.payload[0]) }
            system.addHandler(forEventType: 4) { log.record($0) }
            try system.start()
            triggerEvent(type: 4, payload: [42])
            system.stop()
            #expect(failures.withLock { $0 } == ["4: HandlerFailed(value: 42)"])
            #expect(log.all == [Event(type: 4, payload: [42])])
        }

        @Test("a payload handler reads exactly the bytes sent, in place", arguments: [0, 1, 16, 65_536])
        func payloadHandlerBytes(size: Int) throws {
            let log = EventLog()
            let system = EventSystem()
            system.addPayloadHandler(forEventType: 5) { payload in log.record(Event(type: 5, copying: payload)) }
            try system.start()
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            triggerEvent(type: 5, payload: payload)
            triggerEvent(type: 6, payload: [1])
            system.stop()
            #expect(log.all == [Event(type: 5, payload: payload)])
        }

        @Test("an empty payload and C's NULL data reach a payload handler as an empty span")
        func payloadHandlerEmpty() throws {
            let counts = Serialized([Int]())
            let system = EventSystem()
            system.addPayloadHandler(forEventType: 9) { payload in counts.withLock { $0.append(payload.count) } }
            try system.start()
            triggerEvent(type: 9, payload: [])
            trigger_event(9, nil)
            native_trigger_event_ex(9, nil, 0)
            system.stop()
            #expect(counts.withLock { $0 } == [0, 0, 0])
        }

        @Test("payload handlers and Event handlers run in the order they were added, mixed")
        func mixedOrder() throws {
            let calls = Serialized([String]())
            let system = EventSystem()
            system.addHandler(forEventType: 3) { event in calls.withLock { $0.append("owned 1: \(event.payload)") } }
            system.addPayloadHandler(forEventType: 3) { payload in
                calls.withLock { $0.append("borrowed 2: \(Event(type: 3, copying: payload).payload)") }
            }
            system.addHandler(forEventType: 4) { _ in calls.withLock { $0.append("other type") } }
            system.addHandler(forEventType: 3) { event in calls.withLock { $0.append("owned 3: \(event.payload)") } }
            system.addPayloadHandler(forEventType: 3) { payload in
                calls.withLock { $0.append("borrowed 4: \(payload.count)") }
            }
            try system.start()
            triggerEvent(type: 3, payload: [7, 8])
            system.stop()
            #expect(
                calls.withLock { $0 } == ["owned 1: [7, 8]", "borrowed 2: [7, 8]", "owned 3: [7, 8]", "borrowed 4: 2"])
        }

        @Test("a payload handler adds handlers from inside its call; they see the next event, not this one")
        func addFromPayloadHandler() throws {
            let calls = Serialized([String]())
            let added = Atomic(false)
            let system = EventSystem()
            // Weak: the system owns its handlers, so a strong capture would be a cycle.
            system.addPayloadHandler(forEventType: 1) { [weak system] payload in
                calls.withLock { $0.append("first \(payload[0])") }
                guard let system, !added.exchange(true, ordering: .sequentiallyConsistent) else { return }
                system.addPayloadHandler(forEventType: 1) { payload in
                    calls.withLock { $0.append("added \(payload[0])") }
                }
                system.addHandler(forEventType: 1) { event in
                    calls.withLock { $0.append("owned \(event.payload[0])") }
                }
                triggerEvent(type: 1, payload: [2])
            }
            try system.start()
            triggerEvent(type: 1, payload: [1])
            triggerEvent(type: 1, payload: [3])
            system.stop()
            #expect(
                calls.withLock { $0 } == [
                    "first 1", "first 2", "added 2", "owned 2", "first 3", "added 3", "owned 3",
                ])
        }

        @Test("a throwing payload handler is reported with the event's type and bytes; the others still run")
        func throwingPayloadHandler() throws {
            struct HandlerFailed: Error, Equatable { let first: UInt8 }
            let failures = Serialized([Event]())
            let errors = Serialized([HandlerFailed]())
            let log = EventLog()
            let system = EventSystem { event, error in
                failures.withLock { $0.append(event) }
                if let error = error as? HandlerFailed { errors.withLock { $0.append(error) } }
            }
            system.addPayloadHandler(forEventType: 4) { payload in throw HandlerFailed(first: payload[0]) }
            system.addPayloadHandler(forEventType: 4) { payload in log.record(Event(type: 4, copying: payload)) }
            try system.start()
            triggerEvent(type: 4, payload: [42, 43, 44])
            system.stop()
            #expect(failures.withLock { $0 } == [Event(type: 4, payload: [42, 43, 44])])
            #expect(errors.withLock { $0 } == [HandlerFailed(first: 42)])
            #expect(log.all == [Event(type: 4, payload: [42, 43, 44])])
        }

        @Test("handlers added while a C thread fires are each called, with intact payloads")
        func addWhileFiring() throws {
            let handlerCount = 100
            let calls = (0..<handlerCount).map { _ in Probe() }
            let badPayloads = Atomic(0)
            let system = EventSystem()
            try system.start()
            let source = try EventSource(eventType: 7, count: 0, payloadSize: 16)
            for index in 0..<handlerCount {
                system.addPayloadHandler(forEventType: 7) { payload in
                    // Event n carries bytes n, n + 1, ...: each byte is one more than the last.
                    var intact = payload.count == 16
                    for offset in 1..<16 where intact && payload[offset] != payload[offset - 1] &+ 1 {
                        intact = false
                    }
                    if !intact { badPayloads.add(1, ordering: .relaxed) }
                    calls[index].value.add(1, ordering: .relaxed)
                }
            }
            // The last handler's first call, or a failure after 20 s instead of a hang.
            let deadline = ContinuousClock.now + .seconds(20)
            while calls[handlerCount - 1].value.load(ordering: .sequentiallyConsistent) == 0,
                ContinuousClock.now < deadline
            {}
            system.stop()
            _ = consume source
            #expect(calls.allSatisfy { $0.value.load(ordering: .sequentiallyConsistent) > 0 })
            #expect(badPayloads.load(ordering: .sequentiallyConsistent) == 0)
        }

        @Test("start and stop 1,000 times, then drop: the context is released (seed defect 7: no leak)")
        func contextReleased() throws {
            final class Tracker: Sendable {}
            weak var watched: Tracker?
            do {
                let tracker = Tracker()
                watched = tracker
                let system = EventSystem()
                system.addHandler(forEventType: 1) { _ in withExtendedLifetime(tracker) {} }
                for _ in 0..<1_000 {
                    try system.start()
                    system.stop()
                }
                #expect(registeredEventHandlerCount == 0)
            }
            #expect(watched == nil, "the event system's context leaked")
        }

        @Test("a full handler table is a clear error")
        func fullTable() throws {
            var systems: [EventSystem] = []
            defer {
                for system in systems { system.stop() }
            }
            for _ in 0..<64 {
                let system = EventSystem()
                try system.start()
                systems.append(system)
            }
            #expect(
                throws: NativeError.library(
                    function: "register_event_handler", code: NativeErrorCode(rawValue: 5),
                    message: "event handler table is full (64 handlers)")
            ) { try EventSystem().start() }
            #expect(NativeErrorCode(rawValue: 5).description == "limit reached")
        }

        @Test("2,000 rounds: stop while the C thread fires, then free the context")
        func unregisterWhileFiring() throws {
            let source = try EventSource(eventType: 7, count: 0, payloadSize: 16)
            for round in 0..<2_000 {
                let log = EventLog()
                let system = EventSystem()
                system.addHandler(forEventType: 7) { log.record($0) }
                try system.start()
                while log.count.load(ordering: .sequentiallyConsistent) == 0 {}
                system.stop()
                let seen = log.count.load(ordering: .sequentiallyConsistent)
                // Nothing is delivered after stop returns.
                #expect(log.count.load(ordering: .sequentiallyConsistent) == seen, "round \(round)")
                #expect(log.all.allSatisfy { $0.payload.count == 16 })
            }
            #expect(source.fired > 0)
            #expect(registeredEventHandlerCount == 0)
            _ = consume source
        }

        @Test("events from the C thread arrive through the AsyncSequence, in order and intact")
        func asyncEvents() async throws {
            var received: [Event] = []
            do {
                let stream = try EventSystem.events(ofType: 8, bufferingPolicy: .unbounded)
                var source = try EventSource(eventType: 8, count: 1_000, payloadSize: 8)
                source.wait()
                for await event in stream {
                    received.append(event)
                    if received.count == 1_000 { break }
                }
                #expect(registeredEventHandlerCount == 1)
            }
            CallbackStream.waitForPendingUnregistrations()
            #expect(received == (0..<1_000).map { Event(type: 8, payload: sourcePayload(sequence: $0, size: 8)) })
            #expect(registeredEventHandlerCount == 0)
        }

        @Test("cancelling the consuming task unregisters the handler")
        func cancelledConsumer() async throws {
            let stream = try EventSystem.events(bufferingPolicy: .bufferingNewest(16))
            #expect(registeredEventHandlerCount == 1)
            let firstSeen = Atomic(false)
            let consumer = Task {
                for await _ in stream { firstSeen.store(true, ordering: .sequentiallyConsistent) }
            }
            let source = try EventSource(eventType: 1, count: 0, intervalMicroseconds: 100, payloadSize: 4)
            while !firstSeen.load(ordering: .sequentiallyConsistent) { await Task.yield() }
            consumer.cancel()
            await consumer.value
            CallbackStream.waitForPendingUnregistrations()
            #expect(registeredEventHandlerCount == 0)
            _ = consume source
        }

        // Cancelling the consumer must not unregister from inside Task.cancel(): that would
        // wait for a C callback that is itself waiting inside the stream's yield for the lock
        // cancel() holds, a deadlock.
        @Test("3,000 cancellations while a C thread fires: none hangs, every handler is unregistered")
        func cancelWhileFlowing() async throws {
            // Back to back: the C thread is inside a callback at almost every cancellation.
            let source = try EventSource(eventType: 1, count: 0, intervalMicroseconds: 0, payloadSize: 4)
            let phase = Probe()
            let watchdog = Watchdog("cancel-while-flowing", limit: .seconds(20)) {
                "phase \(phase.value.load(ordering: .relaxed)), \(registeredEventHandlerCount) handlers registered"
            }
            defer { watchdog.stop() }
            for _ in 0..<3_000 {
                phase.value.store(1, ordering: .relaxed)
                let stream = try EventSystem.events(bufferingPolicy: .bufferingNewest(16))
                let firstSeen = Atomic(false)
                let consumer = Task {
                    for await _ in stream { firstSeen.store(true, ordering: .sequentiallyConsistent) }
                }
                while !firstSeen.load(ordering: .sequentiallyConsistent) { await Task.yield() }
                phase.value.store(2, ordering: .relaxed)
                consumer.cancel()
                phase.value.store(3, ordering: .relaxed)
                await consumer.value
                // libnative has 64 slots: a loop must let ended streams unregister before
                // registering more, or C refuses it with "table is full".
                phase.value.store(4, ordering: .relaxed)
                CallbackStream.waitForPendingUnregistrations()
                watchdog.progress()
            }
            CallbackStream.waitForPendingUnregistrations()
            #expect(registeredEventHandlerCount == 0)
            #expect(source.fired > 0)
            _ = consume source
        }

        @Test("dropping the stream unregisters the handler")
        func droppedStream() throws {
            do {
                let stream = try EventSystem.events(bufferingPolicy: .bufferingOldest(1))
                #expect(registeredEventHandlerCount == 1)
                _ = stream
            }
            CallbackStream.waitForPendingUnregistrations()
            #expect(registeredEventHandlerCount == 0)
        }

        @Test("the type filter passes only matching events")
        func typeFilter() async throws {
            let stream = try EventSystem.events(ofType: 2, bufferingPolicy: .unbounded)
            for type: Int32 in [1, 2, 3, 2] { triggerEvent(type: type, payload: [UInt8(type)]) }
            var received: [Event] = []
            for await event in stream {
                received.append(event)
                if received.count == 2 { break }
            }
            #expect(received == [Event(type: 2, payload: [2]), Event(type: 2, payload: [2])])
        }

        @Test("bad event-source settings are refused", arguments: [(-1, 4), (1, EventSource.maximumPayloadSize + 1)])
        func badSource(count: Int, payloadSize: Int) {
            let message =
                count < 0
                ? "event count must not be negative, got \(count)"
                : "payload must be at most 1048576 bytes, got \(payloadSize)"
            #expect(
                throws: NativeError.library(
                    function: "native_event_source_start", code: .invalidInput, message: message)
            ) { _ = try EventSource(eventType: 1, count: count, payloadSize: payloadSize) }
            #expect(throws: NativeError.boundary(BoundaryErrorFixture.size(value: -2))) {
                _ = try EventSource(eventType: 1, count: 1, payloadSize: -2)
            }
        }

        @Test("C refuses a NULL callback and NULL data with a length")
        func cRefusals() {
            #expect(register_event_handler(nil, nil) == -1)
            #expect(get_last_error() == 1)
            native_trigger_event_ex(1, nil, 4)
            #expect(get_last_error() == 1)
            unregister_event_handler(12_345)
            #expect(get_last_error() == 1)
        }
    }

    @Suite("The legacy component, made thread-safe")
    struct LegacyCounterTests {
        @Test("8 threads × 10,000 updates give the exact total")
        func exactTotal() async {
            LegacyCounter.reset()
            await withTaskGroup { group in
                for thread in 1...8 {
                    group.addTask {
                        for _ in 0..<10_000 { LegacyCounter.add(Int64(thread)) }
                    }
                }
            }
            let snapshot = LegacyCounter.snapshot()
            #expect(snapshot.total == 10_000 * (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8))
            #expect(snapshot.updates == 80_000)
        }

        @Test("the total wraps as C's does")
        func wraps() {
            LegacyCounter.reset()
            LegacyCounter.add(.max)
            LegacyCounter.add(1)
            #expect(LegacyCounter.snapshot() == (total: .min, updates: 2))
        }
    }
}
