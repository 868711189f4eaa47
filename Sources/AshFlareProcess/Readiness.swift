/// When a process child counts as initialised, so that its next sibling starts (OTP's order).
///
/// ```swift
/// .spawned                                                       // as soon as it runs
/// .outputLine(matching: "Serving HTTP on", timeout: .seconds(10)) // a stdout line matches
/// .tcpPort(8080, timeout: .seconds(10))                          // 127.0.0.1:8080 accepts
/// .unixSocket("/run/app.sock", timeout: .seconds(10))            // the socket accepts
/// ```
/// Past the timeout (measured on the tree's clock) the start fails with
/// ``ProcessChildError/Code/readinessTimeout`` and the process is killed.
public struct Readiness: Hashable, Sendable, CustomStringConvertible {
    /// What is waited for.
    public enum Condition: Hashable, Sendable {
        /// Nothing: ready once spawned.
        case spawned
        /// A line of standard output matching this regular expression (Swift `Regex` syntax).
        case outputLine(String)
        /// A TCP connection to this host (an IPv4 address) and port succeeds.
        case tcpPort(host: String, port: UInt16)
        /// A connection to this Unix socket path succeeds.
        case unixSocket(String)
    }

    /// What is waited for.
    public let condition: Condition
    /// How long it may take.
    public let timeout: Duration

    /// Creates a readiness condition.
    public init(_ condition: Condition, timeout: Duration) {
        self.condition = condition
        self.timeout = timeout
    }

    /// Ready once spawned.
    public static let spawned = Readiness(.spawned, timeout: .zero)

    /// Ready once a line of standard output matches `pattern` (a Swift `Regex`).
    public static func outputLine(matching pattern: String, timeout: Duration) -> Readiness {
        Readiness(.outputLine(pattern), timeout: timeout)
    }

    /// Ready once `host:port` accepts a TCP connection.
    public static func tcpPort(_ port: UInt16, host: String = "127.0.0.1", timeout: Duration) -> Readiness {
        Readiness(.tcpPort(host: host, port: port), timeout: timeout)
    }

    /// Ready once the Unix socket at `path` accepts a connection.
    public static func unixSocket(_ path: String, timeout: Duration) -> Readiness {
        Readiness(.unixSocket(path), timeout: timeout)
    }

    /// `spawned`, `line /pattern/ within 10 seconds`, …
    public var description: String {
        switch condition {
        case .spawned: "spawned"
        case .outputLine(let pattern): "a stdout line matching /\(pattern)/ within \(timeout)"
        case .tcpPort(let host, let port): "tcp \(host):\(port) accepting within \(timeout)"
        case .unixSocket(let path): "unix socket \(path) accepting within \(timeout)"
        }
    }
}
