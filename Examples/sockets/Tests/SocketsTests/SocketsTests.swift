import Foundation
import Glibc
import SafeFFI
import Sockets
import Synchronization
import Testing

/// Runs `body` on a new thread; the result is returned by `join()`.
final class Worker<Value: Sendable>: Sendable {
    private let result = Serialized<Result<Value, SystemCallError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws(SystemCallError) -> Value) {
        Thread.detachNewThread { [result, done] in
            let outcome = Result(catching: body)
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    func join() throws(SystemCallError) -> Value {
        done.wait()
        return try result.withLock { $0! }.get()
    }
}

/// Passes a value that cannot be copied to another thread.
final class Handoff<Value: ~Copyable & Sendable>: Sendable {
    private let slot: Serialized<Value?>
    init(_ value: consuming Value) { slot = Serialized(value) }
    func take() -> Value { slot.withLock { $0.take()! } }
}

/// One connection that two threads use: one sends while the other receives.
final class Shared: Sendable {
    let connection: TCPConnection
    init(_ connection: consuming TCPConnection) { self.connection = connection }
}

/// The process's open descriptors (its entries in /proc/self/fd).
func openDescriptorCount() -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
}

let interrupts = Atomic<Int>(0)

/// Whether a thread of this process is blocked in `accept` (system call 43 on x86-64, as
/// /proc/self/task/*/syscall shows it). The suite is serialised: only its server accepts.
func someThreadInAccept() -> Bool {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.contains { task in
        let state = (try? String(contentsOfFile: "/proc/self/task/\(task)/syscall", encoding: .utf8)) ?? ""
        return state.hasPrefix("43 ")
    }
}

// One suite, serialised: the descriptor counts and the signal handler are process-wide.
@Suite("TCP over libc sockets on 127.0.0.1", .serialized)
struct SocketsTests {
    @Test("an endpoint prints as address:port")
    func endpoint() {
        #expect(IPv4Endpoint.loopback(port: 8080).description == "127.0.0.1:8080")
        #expect(IPv4Endpoint(address: 0xC0A8_0001, port: 0).description == "192.168.0.1:0")
    }

    @Test("a listener on port 0 gets a free port; a connection sees both ends")
    func connect() throws {
        let listener = try TCPListener(bindingTo: .loopback())
        let bound = try listener.localEndpoint()
        #expect(bound.address == 0x7F00_0001)
        #expect(bound.port != 0)
        // The kernel completes the handshake from the backlog, before accept.
        let client = try TCPConnection(connectingTo: bound)
        let server = try listener.accept()
        #expect(client.peer == bound)
        #expect(try server.localEndpoint() == bound)
        #expect(server.peer == (try client.localEndpoint()))

        try client.send(Array("hello".utf8).span)
        #expect(try server.receive(upTo: 100) == Array("hello".utf8))
        try client.finishSending()
        #expect(try server.receive(upTo: 100) == [])
        try server.close()
        try client.close()
        try listener.close()
    }

    @Test("4 MiB echoed by a server thread, byte for byte")
    func echo() throws {
        let listener = try TCPListener(bindingTo: .loopback())
        let endpoint = try listener.localEndpoint()
        let handoff = Handoff(listener)
        let server = Worker { () throws(SystemCallError) -> Int in
            let listener = handoff.take()
            return try listener.accept().echo()
        }
        let payload = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        // Sending and receiving at once, on two threads: 4 MiB is more than the sockets'
        // buffers hold.
        let client = Shared(try TCPConnection(connectingTo: endpoint))
        let sender = Worker { [payload] () throws(SystemCallError) -> Void in
            try client.connection.send(payload.span)
            try client.connection.finishSending()
        }
        #expect(try client.connection.receiveAll() == payload)
        try sender.join()
        #expect(try server.join() == payload.count)
    }

    @Test("nothing listening: ECONNREFUSED with the C library's message")
    func refused() throws {
        let listener = try TCPListener(bindingTo: .loopback())
        let endpoint = try listener.localEndpoint()
        try listener.close()
        let error = try #require(throws: SystemCallError.self) { _ = try TCPConnection(connectingTo: endpoint) }
        #expect(error == SystemCallError(function: "connect", code: ECONNREFUSED))
        #expect(error.description == "connect failed: Connection refused (errno 111)")
    }

    @Test("a port in use: EADDRINUSE from bind")
    func inUse() throws {
        let first = try TCPListener(bindingTo: .loopback())
        let endpoint = try first.localEndpoint()
        #expect(throws: SystemCallError(function: "bind", code: EADDRINUSE)) {
            _ = try TCPListener(bindingTo: endpoint)
        }
        #expect(SystemCallError(function: "bind", code: EADDRINUSE).message == "Address already in use")
    }

    @Test("a count of zero is refused before C sees it")
    func zeroCount() throws {
        let listener = try TCPListener(bindingTo: .loopback())
        let client = try TCPConnection(connectingTo: try listener.localEndpoint())
        #expect(throws: SystemCallError(function: "recv", code: EINVAL)) { _ = try client.receive(upTo: 0) }
        #expect(throws: SystemCallError(function: "recv", code: EINVAL)) { _ = try client.receive(upTo: -5) }
    }

    @Test("sending to a peer that has gone is an error, not a SIGPIPE that ends the process")
    func peerGone() throws {
        let listener = try TCPListener(bindingTo: .loopback())
        let client = try TCPConnection(connectingTo: try listener.localEndpoint())
        try listener.accept().close()
        let chunk = [UInt8](repeating: 7, count: 65_536)
        let error = try #require(throws: SystemCallError.self) {
            // The first sends may be buffered; the peer's reset makes a later one fail.
            for _ in 0..<1_000 { try client.send(chunk.span) }
        }
        #expect(error.function == "send")
        #expect([EPIPE, ECONNRESET].contains(error.code))
    }

    @Test("accept interrupted by signals goes on waiting (EINTR retried) and returns the connection")
    func interruptedAccept() throws {
        // A handler without SA_RESTART: the kernel ends a blocked accept with EINTR.
        var action = sigaction()
        unsafe action.__sigaction_handler.sa_handler = { _ in interrupts.add(1, ordering: .relaxed) }
        action.sa_flags = 0
        unsafe sigemptyset(&action.sa_mask)
        #expect(unsafe sigaction(SIGUSR1, &action, nil) == 0)
        interrupts.store(0, ordering: .relaxed)

        let listener = try TCPListener(bindingTo: .loopback())
        let endpoint = try listener.localEndpoint()
        let handoff = Handoff(listener)
        let thread = Serialized<pthread_t?>(nil)
        let server = Worker { () throws(SystemCallError) -> [UInt8] in
            let listener = handoff.take()
            // Threads the runtime starts may block signals; this one takes SIGUSR1.
            var signals = sigset_t()
            unsafe sigemptyset(&signals)
            unsafe sigaddset(&signals, SIGUSR1)
            unsafe pthread_sigmask(SIG_UNBLOCK, &signals, nil)
            thread.withLock { $0 = pthread_self() }
            let connection = try listener.accept()
            return try connection.receiveAll()
        }
        var target: pthread_t? = nil
        while target == nil {
            usleep(1_000)
            target = thread.withLock { $0 }
        }
        let handle = target!
        // Each signal is sent while the thread is blocked in accept, and the next waits until
        // the handler has run and accept has been entered again.
        for round in 1...3 {
            while !someThreadInAccept() { usleep(1_000) }
            #expect(pthread_kill(handle, SIGUSR1) == 0)
            while interrupts.load(ordering: .relaxed) < round { usleep(1_000) }
        }
        let client = try TCPConnection(connectingTo: endpoint)
        try client.send(Array("after three signals".utf8).span)
        try client.finishSending()
        #expect(try server.join() == Array("after three signals".utf8))
        #expect(interrupts.load(ordering: .relaxed) == 3)
    }

    @Test("every descriptor is closed exactly once: 200 connections leave the count where it was")
    func noDescriptorLeaks() throws {
        let before = openDescriptorCount()
        do {
            let listener = try TCPListener(bindingTo: .loopback())
            let endpoint = try listener.localEndpoint()
            for round in 0..<200 {
                let client = try TCPConnection(connectingTo: endpoint)
                let server = try listener.accept()
                try client.send([UInt8(truncatingIfNeeded: round)].span)
                #expect(try server.receive(upTo: 10) == [UInt8(truncatingIfNeeded: round)])
                // Half closed by close(), half by going out of scope.
                if round.isMultiple(of: 2) {
                    try client.close()
                    try server.close()
                }
            }
            #expect(openDescriptorCount() == before + 1)
        }
        #expect(openDescriptorCount() == before)
    }
}
