import CSafeFFIFixture
import Glibc
import SafeFFI
import Synchronization
import Testing

/// A flag that escaping closures share.
final class Flag: Sendable {
    private let value = Atomic(false)

    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }

    func set() { value.store(true, ordering: .sequentiallyConsistent) }
}

/// A context that records what C delivered, and whose lifetime tests can watch.
final class Recorder: Sendable {
    let values = Serialized([CInt]())
}

private let recordTrampoline: fixture_callback = { value, context in
    // SAFETY: the context is the Recorder of a live registration.
    unsafe CallbackRegistration.context(from: context, as: Recorder.self)?.values.withLock { $0.append(value) }
}

/// Registers `recorder` in the fixture's one slot.
func registerRecorder(_ recorder: Recorder) throws(RegistrationRefused) -> CallbackRegistration {
    // The slot may still be held by a stream an earlier test ended: its unregistering is
    // handed to another thread.
    CallbackStream.waitForPendingUnregistrations()
    // SAFETY: recordTrampoline expects a Recorder context.
    return try unsafe CallbackRegistration(
        context: recorder,
        register: { (context) throws(RegistrationRefused) -> CInt in
            let token = unsafe fixture_register(recordTrampoline, context)
            guard token > 0 else { throw RegistrationRefused() }
            return token
        },
        unregister: { fixture_unregister($0) })
}

struct RegistrationRefused: Error, Equatable {}

@Suite("Callback registrations and streams", .serialized)
struct RegistrationTests {
    @Test("C reaches the context while registered; ending unregisters, then releases it")
    func registrationLifetime() throws {
        weak var watched: Recorder?
        do {
            let recorder = Recorder()
            watched = recorder
            let registration = try registerRecorder(recorder)
            fixture_fire(7)
            fixture_fire(8)
            #expect(recorder.values.withLock { $0 } == [7, 8])
            registration.end()
            #expect(fixture_is_registered() == 0)
            fixture_fire(9)
            #expect(recorder.values.withLock { $0 } == [7, 8])
        }
        #expect(watched == nil, "the context outlived its registration")
    }

    @Test("a refused registration keeps nothing")
    func refusedRegistration() throws {
        let first = try registerRecorder(Recorder())
        weak var watched: Recorder?
        do {
            let second = Recorder()
            watched = second
            #expect(throws: RegistrationRefused()) { _ = try registerRecorder(second) }
        }
        #expect(watched == nil)
        first.end()
        #expect(fixture_is_registered() == 0)
    }

    @Test("a callback stream delivers C's values in order")
    func streamDelivers() async throws {
        let stream = try makeFixtureStream()
        for value: CInt in 1...5 { fixture_fire(value) }
        var received: [CInt] = []
        for await value in stream {
            received.append(value)
            if received.count == 5 { break }
        }
        #expect(received == [1, 2, 3, 4, 5])
    }

    @Test("dropping a stream unregisters its callback")
    func droppedStreamUnregisters() throws {
        do {
            let stream = try makeFixtureStream()
            #expect(fixture_is_registered() == 1)
            _ = stream
        }
        CallbackStream.waitForPendingUnregistrations()
        #expect(fixture_is_registered() == 0)
    }

    @Test("cancelling the consuming task unregisters the callback")
    func cancelledStreamUnregisters() async throws {
        let stream = try makeFixtureStream()
        let started = Atomic(false)
        let consumer = Task {
            var count = 0
            for await _ in stream {
                count += 1
                started.store(true, ordering: .sequentiallyConsistent)
            }
            return count
        }
        while !started.load(ordering: .sequentiallyConsistent) {
            fixture_fire(1)
            await Task.yield()
        }
        consumer.cancel()
        let count = await consumer.value
        #expect(count >= 1)
        CallbackStream.waitForPendingUnregistrations()
        #expect(fixture_is_registered() == 0)
    }

    // A termination handler can run inside Task.cancel(), holding a lock that a C callback
    // in flight may need, so unregistering there could deadlock. Here unregistering takes
    // 300 ms: were it run inside cancel(), it would be over when cancel() returns.
    @Test("a stream's end never waits for C in the code that ended it")
    func endIsHandedOver() async throws {
        let unregistered = Flag()
        let received = Flag()
        let sinks = Serialized<StreamSink<CInt>?>(nil)
        let stream = try CallbackStream.make(of: CInt.self, bufferingPolicy: .unbounded) {
            (sink) throws(RegistrationRefused) -> CallbackRegistration in
            sinks.withLock { $0 = sink }
            // SAFETY: C never sees the context pointer here: nothing to dereference.
            return try unsafe CallbackRegistration(
                context: sink, register: { (_) throws(RegistrationRefused) in 1 },
                unregister: { _ in
                    usleep(300_000)
                    unregistered.set()
                })
        }
        let consumer = Task {
            for await _ in stream { received.set() }
        }
        // Once the consumer has an element it is back inside next(), where cancel() runs
        // the stream's termination handler itself.
        _ = sinks.withLock { $0?.yield(1) }
        while !received.isSet { await Task.yield() }
        try await Task.sleep(for: .milliseconds(20))
        consumer.cancel()
        #expect(!unregistered.isSet, "Task.cancel() waited for C's unregister")
        await consumer.value
        CallbackStream.waitForPendingUnregistrations()
        #expect(unregistered.isSet)
    }

    @Test("a full buffer drops by policy and never blocks C")
    func bufferingPolicy() async throws {
        let stream = try makeFixtureStream(bufferingPolicy: .bufferingNewest(2))
        for value: CInt in 1...10 { fixture_fire(value) }
        var received: [CInt] = []
        for await value in stream {
            received.append(value)
            if received.count == 2 { break }
        }
        #expect(received == [9, 10])
    }
}

/// A stream of the fixture's values, through its one-slot registry.
func makeFixtureStream(
    bufferingPolicy: AsyncStream<CInt>.Continuation.BufferingPolicy = .unbounded
) throws(RegistrationRefused) -> AsyncStream<CInt> {
    // As in registerRecorder: wait for streams that ended before to let go of the slot.
    CallbackStream.waitForPendingUnregistrations()
    return try CallbackStream.make(of: CInt.self, bufferingPolicy: bufferingPolicy) {
        (sink) throws(RegistrationRefused) -> CallbackRegistration in
        // SAFETY: sinkTrampoline expects a StreamSink<CInt> context.
        try unsafe CallbackRegistration(
            context: sink,
            register: { (context) throws(RegistrationRefused) -> CInt in
                let token = unsafe fixture_register(sinkTrampoline, context)
                guard token > 0 else { throw RegistrationRefused() }
                return token
            },
            unregister: { fixture_unregister($0) })
    }
}

private let sinkTrampoline: fixture_callback = { value, context in
    // SAFETY: the context is the StreamSink<CInt> of a live registration.
    unsafe CallbackRegistration.context(from: context, as: StreamSink<CInt>.self)?.yield(value)
}
