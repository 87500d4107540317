// Every libc call of the module, and the only file with `unsafe`. Bytes and addresses that C
// reads go in as spans, through the Span overloads APINotes/SwiftGlibc.apinotes gives
// sys/socket.h and poll.h; only the addresses C writes back (`accept`, `getsockname`) and
// `getsockopt`'s value need pointers.

import Glibc
import SafeFFI

/// `sockaddr_in`'s size, as the socket calls take it.
let ipv4AddressLength = socklen_t(MemoryLayout<sockaddr_in>.size)

extension IPv4Endpoint {
    /// The C form: network byte order, `AF_INET`.
    var socketAddress: sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = self.address.bigEndian
        return address
    }

    /// Reads an endpoint back from its C form, or `nil` when it is not IPv4.
    init?(_ address: sockaddr_in) {
        guard address.sin_family == sa_family_t(AF_INET) else { return nil }
        self.init(address: UInt32(bigEndian: address.sin_addr.s_addr), port: UInt16(bigEndian: address.sin_port))
    }
}

/// Calls `call` with `endpoint` as the `sockaddr` pointer and length `bind` and `connect`
/// take. (Their address parameter is a transparent union in glibc's GNU mode, which the
/// Span overloads do not cover.)
func withSocketAddress<Result>(
    _ endpoint: IPv4Endpoint, _ call: (UnsafePointer<sockaddr>, socklen_t) throws(SystemCallError) -> Result
) throws(SystemCallError) -> Result {
    var address = endpoint.socketAddress
    // SAFETY: sockaddr_in begins with sockaddr's fields (the C API's own convention), the
    // pointer lives only for this closure, and the length given is sockaddr_in's.
    return try unsafe withUnsafePointer(to: &address) { (pointer) throws(SystemCallError) in
        try unsafe pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (pointer) throws(SystemCallError) in
            try unsafe call(pointer, ipv4AddressLength)
        }
    }
}

/// Calls `call` with room for an address C writes (`getsockname`, `accept`), and returns
/// its result and the endpoint it wrote, `nil` when that is not an IPv4 address.
///
/// - Throws: ``SystemCallError`` from `call`.
func readingSocketAddress(
    _ function: String, _ call: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> CInt
) throws(SystemCallError) -> (result: CInt, endpoint: IPv4Endpoint?) {
    var address = sockaddr_in()
    var length = ipv4AddressLength
    // SAFETY: as in withSocketAddress: C writes at most `length` bytes, sockaddr_in's size,
    // through a pointer that lives only for this closure.
    let result = try unsafe withUnsafeMutablePointer(to: &address) { (pointer) throws(SystemCallError) in
        try unsafe pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (pointer) throws(SystemCallError) in
            try SystemCall.run(function) { unsafe call(pointer, &length) }
        }
    }
    return (result, length == ipv4AddressLength ? IPv4Endpoint(address) : nil)
}

/// `socket(AF_INET, SOCK_STREAM)`, close-on-exec.
func makeTCPSocket() throws(SystemCallError) -> OwnedFileDescriptor {
    let descriptor = try SystemCall.run("socket") {
        socket(AF_INET, CInt(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
    }
    return OwnedFileDescriptor(adopting: descriptor)
}

func bindSocket(_ descriptor: CInt, to endpoint: IPv4Endpoint) throws(SystemCallError) {
    let yes: [CInt] = [1]
    _ = try SystemCall.run("setsockopt") {
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, RawSpan(_elements: yes.span))
    }
    // SAFETY: the address is valid for the closure only, and bind reads it during the call.
    _ = try unsafe withSocketAddress(endpoint) { (address, length) throws(SystemCallError) in
        try SystemCall.run("bind") { unsafe bind(descriptor, address, length) }
    }
}

func listenOnSocket(_ descriptor: CInt, backlog: CInt) throws(SystemCallError) {
    _ = try SystemCall.run("listen") { listen(descriptor, backlog) }
}

func connectSocket(_ descriptor: CInt, to endpoint: IPv4Endpoint) throws(SystemCallError) {
    // An interrupted connect goes on in the background, and a second connect would report
    // EALREADY: it is waited for instead of retried.
    do throws(SystemCallError) {
        // SAFETY: the address is valid for the closure only, and connect reads it during the call.
        _ = try unsafe withSocketAddress(endpoint) { (address, length) throws(SystemCallError) in
            try SystemCall.run("connect", retryingInterrupts: false) { unsafe connect(descriptor, address, length) }
        }
    } catch  where error.code == EINTR {
        try waitForConnection(descriptor)
    }
}

/// Waits for a connect that a signal interrupted, and reports how it ended.
func waitForConnection(_ descriptor: CInt) throws(SystemCallError) {
    var requests = [pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)]
    var span = requests.mutableSpan
    _ = try SystemCall.run("poll") { poll(&span, -1) }
    var failure: CInt = 0
    var length = socklen_t(MemoryLayout<CInt>.size)
    // SAFETY: getsockopt writes at most `length` bytes, one CInt, into a local.
    _ = try SystemCall.run("getsockopt") { unsafe getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length) }
    if failure != 0 { throw SystemCallError(function: "connect", code: failure) }
}

func acceptConnection(_ descriptor: CInt) throws(SystemCallError) -> TCPConnection {
    let (accepted, peer) = try unsafe readingSocketAddress("accept") { (address, length) in
        // SAFETY: pointers valid for this call (readingSocketAddress).
        unsafe accept(descriptor, address, length)
    }
    let socket = OwnedFileDescriptor(adopting: accepted)
    guard let peer else { throw SystemCallError(function: "accept", code: EAFNOSUPPORT) }
    // Close-on-exec, as the listener is (Glibc does not import accept4).
    _ = try SystemCall.run("fcntl") { fcntl(socket.rawValue, F_SETFD, FD_CLOEXEC) }
    return TCPConnection(socket: socket, peer: peer)
}

/// - Throws: ``SystemCallError`` from `getsockname`, or `EAFNOSUPPORT` for a socket that
///   is not IPv4.
func localEndpoint(of descriptor: CInt) throws(SystemCallError) -> IPv4Endpoint {
    // SAFETY: pointers valid for this call (readingSocketAddress).
    let (_, endpoint) = try unsafe readingSocketAddress("getsockname") { unsafe getsockname(descriptor, $0, $1) }
    guard let endpoint else { throw SystemCallError(function: "getsockname", code: EAFNOSUPPORT) }
    return endpoint
}

/// Sends what it can of `bytes` and returns how many were sent. `MSG_NOSIGNAL`: a peer
/// that has gone is an `EPIPE` error, not a signal that ends the process.
func sendBytes(_ descriptor: CInt, _ bytes: Span<UInt8>) throws(SystemCallError) -> Int {
    try SystemCall.run("send") { send(descriptor, RawSpan(_elements: bytes), CInt(MSG_NOSIGNAL)) }
}

/// Receives up to `maxCount` bytes; an empty result is the peer's end of stream.
func receiveBytes(_ descriptor: CInt, upTo maxCount: Int) throws(SystemCallError) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: maxCount)
    var span = buffer.mutableSpan
    var bytes = MutableRawSpan(_elements: &span)
    let received = try SystemCall.run("recv") { recv(descriptor, &bytes, 0) }
    buffer.removeSubrange(received...)
    return buffer
}

func shutdownSocket(_ descriptor: CInt, _ direction: CInt) throws(SystemCallError) {
    _ = try SystemCall.run("shutdown") { shutdown(descriptor, direction) }
}
