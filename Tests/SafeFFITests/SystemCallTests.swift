import Glibc
import SafeFFI
import Testing

@Suite("SystemCall and OwnedFileDescriptor: errno at the call, EINTR retried, closed once")
struct SystemCallTests {
    @Test("a -1 result throws the errno the call left, with the C library's message")
    func failure() {
        #expect(throws: SystemCallError(function: "fcntl", code: EBADF)) {
            // Descriptor numbers this high are never handed out to the test process.
            try SystemCall.run("fcntl") { fcntl(1_000_003, F_GETFD) }
        }
        let error = SystemCallError(function: "connect", code: ECONNREFUSED)
        #expect(error.message == "Connection refused")
        #expect(error.description == "connect failed: Connection refused (errno 111)")
        #expect(SystemCallError(function: "f", code: 0).message == "Success")
    }

    @Test("a code the C library has no text for is described by its number, not by invented text")
    func unknownCode() {
        #expect(SystemCallError(function: "f", code: 4_321).message == "error 4321")
        #expect(SystemCallError(function: "f", code: -1).message == "error -1")
    }

    @Test("EINTR makes the call again until it succeeds; with retries off it is thrown")
    func interrupted() throws {
        var calls = 0
        let result = try SystemCall.run("read") { () -> Int in
            calls += 1
            guard calls > 2 else {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7)
        #expect(calls == 3)

        calls = 0
        #expect(throws: SystemCallError(function: "close", code: EINTR)) {
            try SystemCall.run("close", retryingInterrupts: false) { () -> CInt in
                calls += 1
                errno = EINTR
                return -1
            }
        }
        #expect(calls == 1)
    }

    @Test("any result but -1 is returned as it is, errno untouched")
    func success() throws {
        errno = ENOENT
        #expect(try SystemCall.run("f") { Int32(0) } == 0)
        #expect(try SystemCall.run("f") { Int(-2) } == -2)
        #expect(errno == ENOENT)
    }

    /// A pipe's read end, moved to a descriptor number far above the ones the process
    /// hands out, so no other test can be given the same number after it is closed.
    static func highDescriptor(_ number: CInt) throws -> OwnedFileDescriptor {
        var ends: [CInt] = [-1, -1]
        _ = try SystemCall.run("pipe") { unsafe pipe(&ends) }
        defer {
            close(ends[0])
            close(ends[1])
        }
        return OwnedFileDescriptor(adopting: try SystemCall.run("dup2") { dup2(ends[0], number) })
    }

    static func isOpen(_ descriptor: CInt) -> Bool { fcntl(descriptor, F_GETFD) != -1 }

    @Test("an owner that ends closes its descriptor; close() closes it and reports errors")
    func closedOnce() throws {
        do {
            let owner = try Self.highDescriptor(1_000)
            #expect(owner.rawValue == 1_000)
            #expect(Self.isOpen(1_000))
        }
        #expect(!Self.isOpen(1_000))

        let owner = try Self.highDescriptor(1_001)
        try owner.close()
        #expect(!Self.isOpen(1_001))

        // A number that is not open: close reports it instead of losing it.
        #expect(throws: SystemCallError(function: "close", code: EBADF)) {
            try OwnedFileDescriptor(adopting: 1_002).close()
        }
    }

    @Test("relinquish() hands the descriptor over without closing it")
    func relinquished() throws {
        let owner = try Self.highDescriptor(1_003)
        let number = owner.relinquish()
        #expect(number == 1_003)
        #expect(Self.isOpen(1_003))
        #expect(close(number) == 0)
    }
}
