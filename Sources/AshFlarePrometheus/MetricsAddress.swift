/// Where the metrics endpoint listens: `tcp://HOST:PORT` (port 0 picks a free one).
public struct MetricsAddress: Hashable, Sendable, CustomStringConvertible {
    /// A bad address, or one that cannot be bound; the message names it.
    public struct Error: Swift.Error, Hashable, Sendable, CustomStringConvertible {
        /// What was wrong.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// The host or IP address to bind, e.g. `127.0.0.1`.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `tcp://HOST:PORT` (`tcp://[::1]:9464` for IPv6).
    /// - Throws: ``Error`` naming the URL and what is wrong with it.
    public init(url: String) throws(Error) {
        guard url.hasPrefix("tcp://") else {
            throw Error(message: "metrics address '\(url)' must look like tcp://127.0.0.1:9464")
        }
        let rest = url.dropFirst("tcp://".count)
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (0...65_535).contains(port) else {
            throw Error(message: "metrics address '\(url)' needs a port from 0 to 65535, like tcp://127.0.0.1:9464")
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains("/") else {
            throw Error(message: "metrics address '\(url)' needs a host, like tcp://127.0.0.1:9464")
        }
        self.init(host: host, port: port)
    }

    /// `tcp://HOST:PORT`.
    public var description: String { host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)" }
}
