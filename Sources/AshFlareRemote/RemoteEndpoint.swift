/// Where a tree is served: a TCP host and port, or a Unix socket path.
///
/// Written as a URL on the command line: `tcp://127.0.0.1:7001`, `tcp://[::1]:7001`,
/// `unix:///run/shop/flare.sock`.
public struct RemoteEndpoint: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: Hashable, Sendable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    private let wrapped: Wrapped

    /// A TCP endpoint. A server binds `host` (use `127.0.0.1` to stay on this machine); port 0
    /// lets the system choose a free port, which the server then reports.
    public static func tcp(host: String, port: Int) -> RemoteEndpoint { RemoteEndpoint(wrapped: .tcp(host: host, port: port)) }

    /// A Unix domain socket at `path`.
    public static func unixSocket(path: String) -> RemoteEndpoint { RemoteEndpoint(wrapped: .unix(path: path)) }

    /// Parses `tcp://HOST:PORT` or `unix://PATH` (so `unix:///tmp/a.sock` is `/tmp/a.sock`).
    /// - Throws: ``RemoteError`` with code `invalidEndpoint` naming what is wrong.
    public init(url: String) throws(RemoteError) {
        if url.hasPrefix("unix://") {
            let path = String(url.dropFirst("unix://".count))
            guard !path.isEmpty else { throw RemoteError(.invalidEndpoint, "'\(url)' has no socket path (write unix:///path/to.sock)") }
            guard path.utf8.count <= Self.maxUnixSocketPathBytes else {
                throw RemoteError(
                    .invalidEndpoint,
                    "the socket path of '\(url.prefix(40))…' is \(path.utf8.count) bytes; the system's limit is \(Self.maxUnixSocketPathBytes)")
            }
            wrapped = .unix(path: path)
        } else if url.hasPrefix("tcp://") {
            var rest = Substring(url.dropFirst("tcp://".count))
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            let host: Substring, portText: Substring
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                    throw RemoteError(.invalidEndpoint, "'\(url)' is not tcp://[IPv6]:PORT")
                }
                host = rest[rest.index(after: rest.startIndex)..<close]
                portText = rest[rest.index(close, offsetBy: 2)...]
            } else {
                guard let colon = rest.lastIndex(of: ":") else {
                    throw RemoteError(.invalidEndpoint, "'\(url)' has no port (write tcp://HOST:PORT)")
                }
                host = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            }
            guard !host.isEmpty else { throw RemoteError(.invalidEndpoint, "'\(url)' has no host (write tcp://HOST:PORT)") }
            guard let port = Int(portText), (0...65535).contains(port) else {
                throw RemoteError(.invalidEndpoint, "'\(url)' has an invalid port '\(portText)' (0 to 65535)")
            }
            wrapped = .tcp(host: String(host), port: port)
        } else {
            throw RemoteError(.invalidEndpoint, "'\(url)' is not a tcp://HOST:PORT or unix:///PATH URL")
        }
    }

    private init(wrapped: Wrapped) { self.wrapped = wrapped }

    /// The longest Unix socket path the system accepts, in bytes (`sun_path` less its NUL).
    public static let maxUnixSocketPathBytes = 107

    /// The host and port, for a TCP endpoint.
    public var tcpAddress: (host: String, port: Int)? {
        if case .tcp(let host, let port) = wrapped { return (host, port) }
        return nil
    }

    /// The socket path, for a Unix socket endpoint.
    public var unixSocketPath: String? {
        if case .unix(let path) = wrapped { return path }
        return nil
    }

    /// Whether this is a TCP endpoint.
    public var isTCP: Bool { tcpAddress != nil }

    /// The URL form, e.g. `tcp://127.0.0.1:7001` or `unix:///tmp/a.sock`.
    public var description: String {
        switch wrapped {
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        case .unix(let path): "unix://\(path)"
        }
    }
}
