import Logging

extension SupervisorServer {
    /// Where a server listens, who may connect, and its limits.
    ///
    /// Secure by default: a TCP listener needs at least one token, the Unix socket is created
    /// with mode 0600, and every limit has a finite default.
    /// ```swift
    /// var configuration = SupervisorServer.Configuration(
    ///     listeners: [.unixSocket(path: "/run/shop/flare.sock"), .tcp(host: "127.0.0.1", port: 7001)],
    ///     tokens: [AccessToken(ops, permission: .control), AccessToken(viewer, permission: .read)])
    /// configuration.limits.idleTimeout = .seconds(60)
    /// ```
    public struct Configuration: Sendable {
        /// The addresses to listen on; TCP and Unix sockets may be mixed.
        public var listeners: [RemoteEndpoint]
        /// The tokens clients may present in `hello`. Required for TCP; optional on a Unix
        /// socket unless ``unixSocketRequiresToken`` is set.
        public var tokens: [AccessToken]
        /// When true, every connection is read-only whatever its token grants.
        public var readOnly: Bool
        /// The permission of a Unix socket client that presents no token (the socket's 0600
        /// mode already limits it to the server's own user).
        public var unixSocketPermission: RemotePermission
        /// When true, Unix socket clients must present a token too.
        public var unixSocketRequiresToken: Bool
        /// Frame, connection, time and backlog limits.
        public var limits: Limits
        /// Where the server logs: connections at debug, rejections and drops at info. The
        /// library never bootstraps logging.
        public var logger: Logger

        /// Creates a configuration.
        public init(
            listeners: [RemoteEndpoint],
            tokens: [AccessToken] = [],
            readOnly: Bool = false,
            unixSocketPermission: RemotePermission = .control,
            unixSocketRequiresToken: Bool = false,
            limits: Limits = Limits(),
            logger: Logger = Logger(label: "ashflare.remote", factory: { _ in SwiftLogNoOpLogHandler() })
        ) {
            self.listeners = listeners
            self.tokens = tokens
            self.readOnly = readOnly
            self.unixSocketPermission = unixSocketPermission
            self.unixSocketRequiresToken = unixSocketRequiresToken
            self.limits = limits
            self.logger = logger
        }

        /// Checks the configuration as a whole, naming the first problem.
        func validate() throws(RemoteError) {
            guard !listeners.isEmpty else { throw RemoteError(.invalidConfiguration, "listeners must not be empty") }
            if listeners.contains(where: \.isTCP) && tokens.isEmpty {
                throw RemoteError(.invalidConfiguration, "a TCP listener requires at least one token (tokens is empty)")
            }
            if unixSocketRequiresToken && tokens.isEmpty {
                throw RemoteError(.invalidConfiguration, "unixSocketRequiresToken is set but tokens is empty")
            }
            if let empty = tokens.firstIndex(where: \.secret.isEmpty) {
                throw RemoteError(.invalidConfiguration, "tokens[\(empty)] has an empty secret")
            }
            try limits.validate()
        }
    }

    /// The limits that keep one client from hurting the server or the tree.
    public struct Limits: Hashable, Sendable {
        /// The largest frame, in bytes, accepted from a client; a longer one closes the connection.
        public var maxFrameSize: Int
        /// Authenticated connections (those that completed `hello`) open at once; one more is
        /// told `tooManyConnections` instead of a hello reply, and closed.
        public var maxConnections: Int
        /// Connections that may wait for `hello` at once, on top of ``maxConnections``. One more
        /// evicts the oldest waiting connection (`tooManyConnections`), so silent or
        /// unauthenticated connections can never take the slots of authenticated clients.
        public var maxPendingHandshakes: Int
        /// How long a new connection may take to send a valid `hello`.
        public var handshakeTimeout: Duration
        /// How long a connection with no request in flight and no subscription may stay silent.
        public var idleTimeout: Duration
        /// Events a subscriber may have queued and unsent before it is dropped as too slow.
        public var maxEventBacklog: Int
        /// Requests one connection may have running at once; the server reads no further
        /// requests from that connection until one finishes.
        public var maxRequestsInFlight: Int
        /// Subscriptions one connection may hold open at once.
        public var maxSubscriptions: Int

        /// Creates limits; the defaults suit an operator's tools on a production box.
        public init(
            maxFrameSize: Int = 64 * 1024,
            maxConnections: Int = 64,
            maxPendingHandshakes: Int = 64,
            handshakeTimeout: Duration = .seconds(5),
            idleTimeout: Duration = .seconds(300),
            maxEventBacklog: Int = 4096,
            maxRequestsInFlight: Int = 32,
            maxSubscriptions: Int = 8
        ) {
            self.maxFrameSize = maxFrameSize
            self.maxConnections = maxConnections
            self.maxPendingHandshakes = maxPendingHandshakes
            self.handshakeTimeout = handshakeTimeout
            self.idleTimeout = idleTimeout
            self.maxEventBacklog = maxEventBacklog
            self.maxRequestsInFlight = maxRequestsInFlight
            self.maxSubscriptions = maxSubscriptions
        }

        func validate() throws(RemoteError) {
            let counts = [
                ("maxFrameSize", maxFrameSize), ("maxConnections", maxConnections), ("maxPendingHandshakes", maxPendingHandshakes),
                ("maxEventBacklog", maxEventBacklog),
                ("maxRequestsInFlight", maxRequestsInFlight), ("maxSubscriptions", maxSubscriptions),
            ]
            for (name, value) in counts where value < 1 {
                throw RemoteError(.invalidConfiguration, "limits.\(name) must be at least 1 (was \(value))")
            }
            if maxFrameSize < 256 {
                throw RemoteError(.invalidConfiguration, "limits.maxFrameSize must be at least 256 bytes (was \(maxFrameSize))")
            }
            for (name, value) in [("handshakeTimeout", handshakeTimeout), ("idleTimeout", idleTimeout)] where value <= .zero {
                throw RemoteError(.invalidConfiguration, "limits.\(name) must be positive (was \(value))")
            }
        }
    }
}
