// The event system, C events as an AsyncSequence, and the thread-safe wrapper.

import Native

func eventSystemExample() {
    let system = EventSystem { event, error in
        printError("Handler for event \(event.type) failed: \(error)")
    }
    system.addHandler(forEventType: 1) { event in
        print("Event \(event.type): \(event.payload.count) bytes")
    }
    // A payload handler reads C's bytes in place, during its call: no copy, no allocation.
    system.addPayloadHandler(forEventType: 1) { payload in
        var sum = 0
        for index in payload.indices { sum += Int(payload[index]) }
        print("Event 1 read in place: \(payload.count) bytes summing to \(sum)")
    }
    do {
        try system.start()
    } catch {
        printError("Error starting event system: \(error)")
        return
    }
    triggerEvent(type: 1, payload: Array(repeating: 0x2A, count: 64))
    triggerEvent(type: 1, payload: [1, 2, 3])
    system.stop()
    print("Handlers registered after stop: \(registeredEventHandlerCount)")
}

func asyncEventExample() async {
    do {
        let stream = try EventSystem.events(ofType: 8, bufferingPolicy: .unbounded)
        let source = try EventSource(eventType: 8, count: 5, intervalMicroseconds: 1_000, payloadSize: 4)
        var received = 0
        for await event in stream {
            print("Event \(event.type) from the C thread: \(event.payload)")
            received += 1
            if received == 5 { break }
        }
        _ = consume source

        let count = 100_000
        let clock = ContinuousClock()
        let start = clock.now
        let bulk = try EventSystem.events(ofType: 9, bufferingPolicy: .unbounded)
        let firehose = try EventSource(eventType: 9, count: count, payloadSize: 16)
        var delivered = 0
        for await _ in bulk {
            delivered += 1
            if delivered == count { break }
        }
        let elapsed = clock.now - start
        _ = consume firehose
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("Delivered \(delivered) events through the AsyncSequence: \(Int(Double(delivered) / seconds)) events/s")
    } catch {
        printError("Error: \(error)")
    }
}

func threadSafeExample() async {
    LegacyCounter.reset()
    await withTaskGroup { group in
        for task in 1...8 {
            group.addTask {
                for _ in 0..<10_000 { LegacyCounter.add(Int64(task)) }
            }
        }
    }
    let snapshot = LegacyCounter.snapshot()
    print("Total: \(snapshot.total) from \(snapshot.updates) updates (exact: \(10_000 * 36), 80000)")
}
