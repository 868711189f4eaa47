/// Where a tree is served: a TCP host and port (with TLS or in plain text), or a Unix socket path.
///
/// Written as a URL on the command line: `tls://flare.example.com:7001` (TCP with TLS),
/// `tcp://127.0.0.1:7001` (plain TCP: needs the insecure-plaintext option on both sides),
/// `tcp://[::1]:7001`, `unix:///run/shop/flare.sock`.
public struct RemoteEndpoint: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: Hashable, Sendable {
        case tcp(host: String, port: Int)
        case tls(host: String, port: Int)
        case unix(path: String)
    }

    private let wrapped: Wrapped

    /// A TCP endpoint. A server binds `host` (use `127.0.0.1` to stay on this machine); port 0
    /// lets the system choose a free port, which the server then reports.
    public static func tcp(host: String, port: Int) -> RemoteEndpoint { RemoteEndpoint(wrapped: .tcp(host: host, port: port)) }

    /// A TCP endpoint secured with TLS (`tls://HOST:PORT`). Serving it needs
    /// ``SupervisorServer/Configuration/tls``, connecting to it ``RemoteSupervisor/Configuration/tls``
    /// (both from the `AshFlareRemoteTLS` module).
    public static func tls(host: String, port: Int) -> RemoteEndpoint { RemoteEndpoint(wrapped: .tls(host: host, port: port)) }

    /// A Unix domain socket at `path`.
    public static func unixSocket(path: String) -> RemoteEndpoint { RemoteEndpoint(wrapped: .unix(path: path)) }

    /// Parses `tls://HOST:PORT`, `tcp://HOST:PORT` or `unix://PATH` (so `unix:///tmp/a.sock` is `/tmp/a.sock`).
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
        } else if let scheme = ["tcp", "tls"].first(where: { url.hasPrefix($0 + "://") }) {
            var rest = Substring(url.dropFirst(scheme.count + 3))
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            let host: Substring, portText: Substring
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                    throw RemoteError(.invalidEndpoint, "'\(url)' is not \(scheme)://[IPv6]:PORT")
                }
                host = rest[rest.index(after: rest.startIndex)..<close]
                portText = rest[rest.index(close, offsetBy: 2)...]
            } else {
                guard let colon = rest.lastIndex(of: ":") else {
                    throw RemoteError(.invalidEndpoint, "'\(url)' has no port (write \(scheme)://HOST:PORT)")
                }
                host = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            }
            guard !host.isEmpty else { throw RemoteError(.invalidEndpoint, "'\(url)' has no host (write \(scheme)://HOST:PORT)") }
            guard let port = Int(portText), (0...65535).contains(port) else {
                throw RemoteError(.invalidEndpoint, "'\(url)' has an invalid port '\(portText)' (0 to 65535)")
            }
            wrapped = scheme == "tls" ? .tls(host: String(host), port: port) : .tcp(host: String(host), port: port)
        } else {
            throw RemoteError(.invalidEndpoint, "'\(url)' is not a tls://HOST:PORT, tcp://HOST:PORT or unix:///PATH URL")
        }
    }

    private init(wrapped: Wrapped) { self.wrapped = wrapped }

    /// The longest Unix socket path the system accepts, in bytes (`sun_path` less its NUL).
    public static let maxUnixSocketPathBytes = 107

    /// The host and port, for a TCP endpoint (with TLS or without).
    public var tcpAddress: (host: String, port: Int)? {
        switch wrapped {
        case .tcp(let host, let port), .tls(let host, let port): (host, port)
        case .unix: nil
        }
    }

    /// Whether this is a TCP endpoint secured with TLS (`tls://`).
    public var isTLS: Bool {
        if case .tls = wrapped { return true }
        return false
    }

    /// Whether this is a TCP endpoint without TLS (`tcp://`), which carries everything in clear text.
    public var isPlaintextTCP: Bool {
        if case .tcp = wrapped { return true }
        return false
    }

    /// Whether the host is a loopback address that no other machine can reach: `localhost`,
    /// `127.0.0.0/8` or `::1`. False for Unix sockets and for every other name, which might
    /// resolve anywhere.
    public var isLoopback: Bool {
        guard let (host, _) = tcpAddress else { return false }
        return Self.isLoopbackHost(host)
    }

    /// Whether `host` (a name or an address literal) is `localhost`, in `127.0.0.0/8` or `::1`.
    static func isLoopbackHost(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in UInt8(part) != nil }
    }

    /// The socket path, for a Unix socket endpoint.
    public var unixSocketPath: String? {
        if case .unix(let path) = wrapped { return path }
        return nil
    }

    /// Whether this is a TCP endpoint (with TLS or without).
    public var isTCP: Bool { tcpAddress != nil }

    /// The same address with the port the system chose (for a port-0 listener).
    func withPort(_ port: Int) -> RemoteEndpoint {
        switch wrapped {
        case .tcp(let host, _): .tcp(host: host, port: port)
        case .tls(let host, _): .tls(host: host, port: port)
        case .unix: self
        }
    }

    /// The URL form, e.g. `tls://127.0.0.1:7001`, `tcp://127.0.0.1:7001` or `unix:///tmp/a.sock`.
    public var description: String {
        switch wrapped {
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        case .tls(let host, let port): host.contains(":") ? "tls://[\(host)]:\(port)" : "tls://\(host):\(port)"
        case .unix(let path): "unix://\(path)"
        }
    }
}
