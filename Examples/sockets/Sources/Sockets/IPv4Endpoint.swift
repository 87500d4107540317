// Where a TCP socket is: an IPv4 address and a port, in host byte order.

/// An IPv4 address and a TCP port.
public struct IPv4Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// The address, in host byte order: 127.0.0.1 is `0x7F00_0001`.
    public var address: UInt32
    /// The port; 0 asks the system for a free one when binding.
    public var port: UInt16

    /// An endpoint from its address (host byte order) and port.
    public init(address: UInt32, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// 127.0.0.1 at `port`; port 0 asks the system for a free one when binding.
    public static func loopback(port: UInt16 = 0) -> IPv4Endpoint {
        IPv4Endpoint(address: 0x7F00_0001, port: port)
    }

    /// Dotted form and port, such as `127.0.0.1:8080`.
    public var description: String {
        let octets = [24, 16, 8, 0].map { String((address >> $0) & 0xFF) }
        return "\(octets.joined(separator: ".")):\(port)"
    }
}
