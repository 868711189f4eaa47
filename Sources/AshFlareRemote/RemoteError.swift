import AshFlare

/// An error of the remote layer: connecting, authenticating, or speaking the protocol.
///
/// Errors that the *tree* reports (an unknown path, a running child that cannot be deleted, …)
/// arrive as the engine's own ``AshFlare/SupervisorError``, exactly as from a local handle; this
/// type covers everything between the client and the tree. Match on ``code``; ``message`` is for
/// people. New codes may be added without breaking callers.
public struct RemoteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of error; its ``name`` is what the protocol's error replies carry.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable, CaseIterable {
            case invalidEndpoint, connectionFailed, connectionLost, closed
            case unauthorized, permissionDenied, unsupportedVersion, handshakeRequired
            case invalidJSON, badRequest, unknownOp, frameTooLarge, protocolViolation
            case handshakeTimeout, idleTimeout, tooManyConnections, tooManySubscriptions
            case slowConsumer, serverStopping, unknownSubscription, internalError, unrecognized
            case invalidConfiguration, addressInUse, pathNotASocket
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A URL or address could not be parsed (client side).
        public static let invalidEndpoint = Code(.invalidEndpoint)
        /// The client could not connect (refused, no such socket, unreachable, timed out).
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection ended while a request was in flight or a subscription was open.
        public static let connectionLost = Code(.connectionLost)
        /// The client was closed with ``RemoteSupervisor/close()``.
        public static let closed = Code(.closed)
        /// The token was missing or wrong; the server closes the connection.
        public static let unauthorized = Code(.unauthorized)
        /// The connection's permission does not allow the operation (read-only).
        public static let permissionDenied = Code(.permissionDenied)
        /// Client and server share no protocol version; the server closes the connection.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A request other than `hello` came before the handshake; the server closes the connection.
        public static let handshakeRequired = Code(.handshakeRequired)
        /// A frame was not valid JSON (or not UTF-8).
        public static let invalidJSON = Code(.invalidJSON)
        /// A frame was JSON but not a valid request: a missing field or a field of the wrong type.
        public static let badRequest = Code(.badRequest)
        /// The request named an operation the server does not know.
        public static let unknownOp = Code(.unknownOp)
        /// A frame was longer than the receiver's maximum frame size; the connection is closed.
        public static let frameTooLarge = Code(.frameTooLarge)
        /// The server sent something the client cannot understand.
        public static let protocolViolation = Code(.protocolViolation)
        /// The client sent no `hello` within the handshake timeout; the server closes the connection.
        public static let handshakeTimeout = Code(.handshakeTimeout)
        /// The connection was silent past the idle timeout; the server closes it.
        public static let idleTimeout = Code(.idleTimeout)
        /// The server is at its connection limit; it closes the new connection.
        public static let tooManyConnections = Code(.tooManyConnections)
        /// The connection has too many open subscriptions; the request was not run.
        public static let tooManySubscriptions = Code(.tooManySubscriptions)
        /// The client read events too slowly and fell past the server's backlog; it was dropped.
        public static let slowConsumer = Code(.slowConsumer)
        /// The server is stopping; it closes every connection.
        public static let serverStopping = Code(.serverStopping)
        /// `unsubscribe` named no open subscription of this connection.
        public static let unknownSubscription = Code(.unknownSubscription)
        /// The server failed unexpectedly while handling the request.
        public static let internalError = Code(.internalError)
        /// The server replied with an error code this client does not know; the message has it.
        public static let unrecognized = Code(.unrecognized)
        /// A server configuration was rejected (for example, a TCP listener without a token).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// Another process is already serving on the address or socket path.
        public static let addressInUse = Code(.addressInUse)
        /// Something other than a socket exists at the Unix socket path; it is never deleted.
        public static let pathNotASocket = Code(.pathNotASocket)

        /// The stable name, e.g. `unauthorized` (the `code` of an error reply).
        public var name: String { wrapped.rawValue }

        /// Looks a code up by its ``name``.
        public init?(name: String) {
            guard let wrapped = Wrapped(rawValue: name) else { return nil }
            self.wrapped = wrapped
        }

        /// The ``name``.
        public var description: String { wrapped.rawValue }
    }

    /// The kind of error.
    public var code: Code
    /// A human-readable explanation.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}

/// What an error reply decodes to on the client: the tree's own error, or a remote-layer error.
enum WireErrorReply {
    /// Builds the error a client throws for an error reply with `code` and `message`.
    static func error(code: String, message: String) -> any Error {
        if let code = SupervisorError.Code(name: code) { return SupervisorError(code, message) }
        if let code = RemoteError.Code(name: code) { return RemoteError(code, message) }
        return RemoteError(.unrecognized, "\(code): \(message)")
    }
}
