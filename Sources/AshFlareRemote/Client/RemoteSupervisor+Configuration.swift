import NIOCore
import NIOPosix

extension RemoteSupervisor {
    /// How a ``RemoteSupervisor`` connects.
    public struct Configuration: Sendable {
        /// The token sent in `hello`; required by TCP servers, optional on a Unix socket.
        public var token: String?
        /// A name for the server's logs, e.g. `flare/1.0`.
        public var clientName: String
        /// The largest frame, in bytes, accepted from the server (a snapshot of a large tree is
        /// one frame).
        public var maxFrameSize: Int
        /// How many events an event stream buffers before the oldest are dropped and the
        /// consumer gets a `lagged` event.
        public var eventBufferSize: Int
        /// How long connecting may take.
        public var connectTimeout: Duration
        /// Where the socket lives; NIO's shared group by default.
        public var eventLoopGroup: any EventLoopGroup
        /// TLS for `tls://` endpoints: `TLSClientSecurity` from the `AshFlareRemoteTLS` module
        /// (the CA to trust, a client certificate for mTLS, the server name). Required to
        /// connect to a `tls://` endpoint; Unix sockets never use it.
        public var tls: (any ClientTransportSecurity)?
        /// INSECURE: allows `tcp://` endpoints, which carry everything in clear text. Even then a
        /// token is sent only to a loopback host (`localhost`, `127.0.0.0/8`, `::1`).
        public var insecurePlaintext: Bool

        /// Creates a configuration.
        public init(
            token: String? = nil,
            clientName: String = "ashflare-remote",
            maxFrameSize: Int = 256 * 1024 * 1024,
            eventBufferSize: Int = 4096,
            connectTimeout: Duration = .seconds(10),
            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
            tls: (any ClientTransportSecurity)? = nil,
            insecurePlaintext: Bool = false
        ) {
            self.token = token
            self.clientName = clientName
            self.maxFrameSize = maxFrameSize
            self.eventBufferSize = eventBufferSize
            self.connectTimeout = connectTimeout
            self.eventLoopGroup = eventLoopGroup
            self.tls = tls
            self.insecurePlaintext = insecurePlaintext
        }

        /// Checks that this configuration may connect to `endpoint`, before any byte is sent.
        /// - Throws: ``RemoteError`` `invalidConfiguration`: a `tcp://` endpoint without
        ///   ``insecurePlaintext``, a token over plain TCP to a host that is not loopback, or a
        ///   `tls://` endpoint without ``tls``.
        public func validate(for endpoint: RemoteEndpoint) throws(RemoteError) {
            if endpoint.isPlaintextTCP {
                guard insecurePlaintext else {
                    throw RemoteError(
                        .invalidConfiguration,
                        "\(endpoint) is plain TCP, which carries the token in clear text: connect with tls://, or allow it with insecurePlaintext")
                }
                if token != nil && !endpoint.isLoopback {
                    throw RemoteError(
                        .invalidConfiguration,
                        "refusing to send a token over plain TCP to \(endpoint), which is not a loopback address: connect with tls://")
                }
            }
            if endpoint.isTLS && tls == nil {
                throw RemoteError(.invalidConfiguration, "\(endpoint) needs tls (a TLSClientSecurity: the CA to trust, and a client certificate for mTLS)")
            }
        }
    }
}
