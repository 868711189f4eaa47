import Logging

extension SupervisorServer {
    /// Where a server listens, who may connect, and its limits.
    ///
    /// Secure by default: TCP is served with TLS (a `tls://` listener and ``tls``), plain TCP
    /// only with ``insecurePlaintext``; a TCP listener needs at least one token (or client
    /// certificates that grant a permission); the Unix socket is created with mode 0600; and
    /// every limit has a finite default.
    /// ```swift
    /// var configuration = SupervisorServer.Configuration(
    ///     listeners: [.unixSocket(path: "/run/shop/flare.sock"), .tls(host: "0.0.0.0", port: 7001)],
    ///     tokens: [AccessToken(ops, permission: .control), AccessToken(viewer, permission: .read)])
    /// configuration.tls = try TLSServerSecurity(certificateChainFile: "/etc/shop/flare.pem", privateKeyFile: "/etc/shop/flare-key.pem")
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
        /// TLS for the `tls://` listeners: `TLSServerSecurity` from the `AshFlareRemoteTLS`
        /// module (its certificate, key and optional client CA for mTLS). Required when a
        /// listener is `tls://`.
        public var tls: (any ServerTransportSecurity)?
        /// INSECURE: allows plain `tcp://` listeners, which carry everything, the token included,
        /// in clear text. Even then a token is accepted only from a loopback peer. Off by default:
        /// a `tcp://` listener is then a configuration error.
        public var insecurePlaintext: Bool

        /// Creates a configuration.
        public init(
            listeners: [RemoteEndpoint],
            tokens: [AccessToken] = [],
            readOnly: Bool = false,
            unixSocketPermission: RemotePermission = .control,
            unixSocketRequiresToken: Bool = false,
            limits: Limits = Limits(),
            logger: Logger = Logger(label: "ashflare.remote", factory: { _ in SwiftLogNoOpLogHandler() }),
            tls: (any ServerTransportSecurity)? = nil,
            insecurePlaintext: Bool = false
        ) {
            self.listeners = listeners
            self.tokens = tokens
            self.readOnly = readOnly
            self.unixSocketPermission = unixSocketPermission
            self.unixSocketRequiresToken = unixSocketRequiresToken
            self.limits = limits
            self.logger = logger
            self.tls = tls
            self.insecurePlaintext = insecurePlaintext
        }

        /// Checks the configuration as a whole, naming the first problem.
        func validate() throws(RemoteError) {
            guard !listeners.isEmpty else { throw RemoteError(.invalidConfiguration, "listeners must not be empty") }
            if let plain = listeners.first(where: \.isPlaintextTCP), !insecurePlaintext {
                throw RemoteError(
                    .invalidConfiguration,
                    "listener \(plain) is plain TCP, which carries the token in clear text: listen on tls:// with a certificate (tls), or set insecurePlaintext")
            }
            if let secure = listeners.first(where: \.isTLS), tls == nil {
                throw RemoteError(
                    .invalidConfiguration, "listener \(secure) needs tls (a TLSServerSecurity with the server's certificate and key)")
            }
            if listeners.contains(where: \.isPlaintextTCP) && tokens.isEmpty {
                throw RemoteError(.invalidConfiguration, "a TCP listener requires at least one token (tokens is empty)")
            }
            if listeners.contains(where: \.isTLS) && tokens.isEmpty && tls?.grantsPermissions != true {
                throw RemoteError(
                    .invalidConfiguration,
                    "a TLS listener requires at least one token, or client certificates that grant a permission (tokens is empty)")
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
