// TCP listeners and connections: each owns its socket, and every failure is the errno its
// call left, with the C library's message.

import Glibc
import SafeFFI

/// A TCP socket listening for connections. Closed exactly once: by ``close()``, or when
/// the listener ends.
public struct TCPListener: ~Copyable, Sendable {
    private let socket: OwnedFileDescriptor

    /// Binds to `endpoint` and listens; port 0 takes a free port (see ``localEndpoint()``).
    ///
    /// - Throws: ``SystemCallError`` from `socket`, `bind` (`EADDRINUSE`, `EACCES`) or `listen`.
    public init(bindingTo endpoint: IPv4Endpoint, backlog: Int32 = 128) throws(SystemCallError) {
        let socket = try makeTCPSocket()
        try bindSocket(socket.rawValue, to: endpoint)
        try listenOnSocket(socket.rawValue, backlog: backlog)
        self.socket = socket
    }

    /// The address and port the listener is bound to.
    public func localEndpoint() throws(SystemCallError) -> IPv4Endpoint {
        try Sockets.localEndpoint(of: socket.rawValue)
    }

    /// Waits for the next connection and returns it. A signal that interrupts the wait does
    /// not end it.
    public func accept() throws(SystemCallError) -> TCPConnection {
        try acceptConnection(socket.rawValue)
    }

    /// Closes the socket and reports what `close` says.
    public consuming func close() throws(SystemCallError) {
        try socket.close()
    }
}

/// A connected TCP socket. Closed exactly once: by ``close()``, or when the connection ends.
///
/// Sending and receiving may happen on two threads at once (the kernel keeps the two
/// directions apart), so a connection is `Sendable`; it cannot be copied.
public struct TCPConnection: ~Copyable, Sendable {
    private let socket: OwnedFileDescriptor
    /// The other end's address and port.
    public let peer: IPv4Endpoint

    init(socket: consuming OwnedFileDescriptor, peer: IPv4Endpoint) {
        self.socket = socket
        self.peer = peer
    }

    /// Connects to `endpoint`.
    ///
    /// - Throws: ``SystemCallError`` from `socket` or `connect`, such as `ECONNREFUSED`
    ///   when nothing listens there.
    public init(connectingTo endpoint: IPv4Endpoint) throws(SystemCallError) {
        let socket = try makeTCPSocket()
        try connectSocket(socket.rawValue, to: endpoint)
        self.init(socket: socket, peer: endpoint)
    }

    /// This end's address and port.
    public func localEndpoint() throws(SystemCallError) -> IPv4Endpoint {
        try Sockets.localEndpoint(of: socket.rawValue)
    }

    /// Sends every byte of `bytes`, in as many calls as the kernel needs.
    ///
    /// - Throws: ``SystemCallError`` from `send`, such as `EPIPE` or `ECONNRESET` when the
    ///   peer has gone. Some of the bytes may have been sent by then.
    public func send(_ bytes: Span<UInt8>) throws(SystemCallError) {
        var sent = 0
        while sent < bytes.count {
            sent += try sendBytes(socket.rawValue, bytes.extracting(sent...))
        }
    }

    /// Receives what has arrived, up to `maxCount` bytes, waiting until something has.
    ///
    /// - Returns: the bytes, at least one of them; empty when the peer has closed its end.
    /// - Throws: ``SystemCallError`` from `recv`, or `EINVAL` when `maxCount` is not positive.
    public func receive(upTo maxCount: Int) throws(SystemCallError) -> [UInt8] {
        guard maxCount > 0 else { throw SystemCallError(function: "recv", code: EINVAL) }
        return try receiveBytes(socket.rawValue, upTo: maxCount)
    }

    /// Receives until the peer closes its end, and returns everything.
    public func receiveAll() throws(SystemCallError) -> [UInt8] {
        var received: [UInt8] = []
        while true {
            let chunk = try receive(upTo: 65_536)
            if chunk.isEmpty { return received }
            received += chunk
        }
    }

    /// Tells the peer that nothing more will be sent (its ``receive(upTo:)`` then returns
    /// empty); receiving goes on.
    public func finishSending() throws(SystemCallError) {
        try shutdownSocket(socket.rawValue, CInt(SHUT_WR))
    }

    /// Closes the socket and reports what `close` says.
    public consuming func close() throws(SystemCallError) {
        try socket.close()
    }
}

extension TCPConnection {
    /// Sends back everything received until the peer finishes sending, then finishes too;
    /// returns the number of bytes echoed.
    public func echo() throws(SystemCallError) -> Int {
        var echoed = 0
        while true {
            let chunk = try receive(upTo: 65_536)
            if chunk.isEmpty { break }
            try send(chunk.span)
            echoed += chunk.count
        }
        try finishSending()
        return echoed
    }
}
