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

        /// Creates a configuration.
        public init(
            token: String? = nil,
            clientName: String = "ashflare-remote",
            maxFrameSize: Int = 256 * 1024 * 1024,
            eventBufferSize: Int = 4096,
            connectTimeout: Duration = .seconds(10),
            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
        ) {
            self.token = token
            self.clientName = clientName
            self.maxFrameSize = maxFrameSize
            self.eventBufferSize = eventBufferSize
            self.connectTimeout = connectTimeout
            self.eventLoopGroup = eventLoopGroup
        }
    }
}
