import AshFlare
import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
private let addressInUseErrno = Glibc.EADDRINUSE
#elseif canImport(Musl)
import Musl
private let addressInUseErrno = Musl.EADDRINUSE
#elseif canImport(Darwin)
import Darwin
private let addressInUseErrno = Darwin.EADDRINUSE
#endif

/// Serves a supervision tree on TCP (with TLS, or plain where allowed) and/or Unix sockets,
/// speaking the protocol of docs/PROTOCOL.md.
///
/// ```swift
/// let tree = try await SupervisorHandle.start(spec)
/// let server = try await SupervisorServer.bind(serving: tree, configuration: .init(
///     listeners: [.unixSocket(path: "/run/shop/flare.sock")]))
/// try await server.run()          // until cancelled or `shutdown()`
/// ```
///
/// Any number of clients may connect (up to ``Limits/maxConnections`` authenticated ones, and
/// ``Limits/maxPendingHandshakes`` more still waiting for `hello`), each with several
/// requests in flight and event subscriptions open on one connection. A client's misbehaviour —
/// garbage, oversized frames, silence, reading too slowly — costs that client its connection and
/// nothing else: the tree never waits for a client.
public final class SupervisorServer: Sendable {
    private typealias Connection = NIOAsyncChannel<ByteBuffer, FrameBatch>
    private typealias Listener = NIOAsyncChannel<Accepted, Never>

    /// A new connection, and (on a TLS listener) where its peer's verified identity lands.
    private struct Accepted: Sendable {
        let connection: Connection
        let peerIdentity: Locked<PeerIdentity?>?
    }

    private struct BoundListener: Sendable {
        let channel: Listener
        let endpoint: RemoteEndpoint
        let socketFile: UnixSocketFile?
    }

    private struct State {
        var connections: [Int: ServerConnection] = [:]
        var nextConnectionID = 0
        var stopping = false
        var running = false
    }

    private let context: ServerContext
    private let listeners: [BoundListener]
    private let accepted: AcceptedConnections
    private let state = Locked(State())
    private let activeConnections = Atomic<Int>(0)
    private let logger: Logger

    /// The addresses the server listens on, with the ports the system chose for port 0.
    public let endpoints: [RemoteEndpoint]

    private init(context: ServerContext, listeners: [BoundListener], accepted: AcceptedConnections) {
        self.context = context
        self.listeners = listeners
        self.accepted = accepted
        self.endpoints = listeners.map(\.endpoint)
        self.logger = context.configuration.logger
    }

    /// Validates `configuration`, binds every listener, and returns a server ready to ``run()``.
    ///
    /// - Parameters:
    ///   - tree: The tree to serve: a ``AshFlare/SupervisorHandle``, or any other
    ///     ``AshFlare/SupervisionControl``.
    ///   - configuration: Listeners, tokens and limits.
    ///   - clock: The clock of the handshake and idle timeouts.
    ///   - eventLoopGroup: Where the sockets live; NIO's shared group by default.
    /// - Throws: ``RemoteError`` with code `invalidConfiguration`, `addressInUse` or
    ///   `pathNotASocket`; NIO's error for other bind failures. Nothing stays bound on failure.
    public static func bind(
        serving tree: some SupervisionControl,
        configuration: Configuration,
        clock: some Clock<Duration> = ContinuousClock(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SupervisorServer {
        try configuration.validate()
        let root = try await tree.snapshot().root.path
        let context = ServerContext(
            tree: tree, root: root, configuration: configuration, verifier: TokenVerifier(configuration.tokens),
            clock: ElapsedClock(clock),
            admission: Locked(ConnectionAdmission(
                maxPending: configuration.limits.maxPendingHandshakes, maxAuthenticated: configuration.limits.maxConnections)))
        let accepted = AcceptedConnections()
        var bound: [BoundListener] = []
        do {
            for endpoint in configuration.listeners {
                bound.append(try await bindListener(endpoint, context: context, accepted: accepted, group: eventLoopGroup))
            }
        } catch {
            for listener in bound {
                try? await listener.channel.executeThenClose { _ in }
                listener.socketFile?.remove()
            }
            await accepted.endAll()
            throw error
        }
        let server = SupervisorServer(context: context, listeners: bound, accepted: accepted)
        server.logger.info("serving", metadata: ["remote.endpoints": "\(server.endpoints.map(\.description).joined(separator: " "))"])
        return server
    }

    /// Accepts and serves connections until the task is cancelled or ``shutdown()`` is called;
    /// then closes every connection and removes the Unix socket file.
    public func run() async throws {
        let alreadyRunning = state.withLock { state -> Bool in
            defer { state.running = true }
            return state.running || state.stopping
        }
        guard !alreadyRunning else {
            removeSocketFiles()
            return
        }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for listener in listeners {
                    group.addTask { await self.accept(on: listener) }
                }
            }
        } onCancel: {
            self.beginShutdown()
        }
        await accepted.endAll()
        removeSocketFiles()
        logger.info("stopped serving")
    }

    /// Stops accepting, closes every connection (telling each client `serverStopping`), and
    /// returns once the listeners are closed and the socket file is removed. ``run()`` returns
    /// when the last connection has ended. A server that was bound must be run or shut down.
    public func shutdown() async {
        let neverRan = state.withLock { state -> Bool in
            defer { state.running = true }
            return !state.running
        }
        beginShutdown()
        if neverRan {
            // run() never took the listeners over: end them here (run() now returns at once).
            for listener in listeners { try? await listener.channel.executeThenClose { _ in } }
            await accepted.endAll()
        }
        for listener in listeners {
            try? await listener.channel.channel.closeFuture.get()
        }
        removeSocketFiles()
    }

    /// Removes the Unix socket files that are still ours (idempotent).
    private func removeSocketFiles() {
        for listener in listeners { listener.socketFile?.remove() }
    }

    /// How many connections have stopped reading because their client does not read its replies
    /// (for tests).
    var connectionsHeldBack: Int {
        state.withLock { Array($0.connections.values) }.reduce(0) { $0 + $1.outbox.writableWaiterCount }
    }

    /// How many connections have stopped reading because they are at the in-flight request
    /// limit (for tests).
    var connectionsWaitingForARequestSlot: Int {
        state.withLock { Array($0.connections.values) }.reduce(0) { $0 + ($1.state.withLock { $0.slotWaiter != nil } ? 1 : 0) }
    }

    /// The TLS of the configuration (for tests).
    var configurationTLS: (any ServerTransportSecurity)? { context.configuration.tls }

    /// The number of connections currently open.
    public var connectionCount: Int { activeConnections.load(ordering: .relaxed) }

    private func beginShutdown() {
        let connections = state.withLock { state -> [ServerConnection] in
            state.stopping = true
            return Array(state.connections.values)
        }
        for listener in listeners { listener.channel.channel.close(promise: nil) }
        for connection in connections { connection.stop() }
    }

    // MARK: Accepting

    private func accept(on listener: BoundListener) async {
        let isUnixSocket = listener.socketFile != nil
        do {
            try await listener.channel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await accepted in inbound {
                        group.addTask {
                            await self.serve(accepted.connection, isUnixSocket: isUnixSocket, peerIdentity: accepted.peerIdentity)
                        }
                    }
                }
            }
        } catch {
            logger.debug("listener ended", metadata: ["remote.endpoint": "\(listener.endpoint)", "remote.error": "\(error)"])
        }
    }

    private func serve(_ channel: Connection, isUnixSocket: Bool, peerIdentity: Locked<PeerIdentity?>?) async {
        accepted.adopt(channel)
        activeConnections.add(1, ordering: .relaxed)
        defer { activeConnections.subtract(1, ordering: .relaxed) }
        let (registered, evicted) = state.withLock { state -> (ServerConnection?, ServerConnection?) in
            guard !state.stopping else { return (nil, nil) }
            state.nextConnectionID += 1
            let connection = ServerConnection(
                id: state.nextConnectionID, channel: channel.channel, isUnixSocket: isUnixSocket, peerIdentity: peerIdentity,
                context: context)
            state.connections[connection.id] = connection
            let evicted = context.admission.withLock { $0.arrive(connection.id) }
            return (connection, evicted.flatMap { state.connections[$0] })
        }
        guard let connection = registered else {
            let error = RemoteError(.serverStopping, "the server is stopping")
            logger.info("connection refused", metadata: ["remote.reason": "\(error.code)"])
            await refuse(channel, with: error)
            return
        }
        if let evicted {
            evicted.closeNow(RemoteError(
                .tooManyConnections,
                "more than \(context.limits.maxPendingHandshakes) connections are waiting for hello; closing the oldest"))
        }
        await withTaskExecutorPreference(connection.executor) { await connection.run(channel) }
        context.admission.withLock { $0.leave(connection.id) }
        _ = state.withLock { $0.connections.removeValue(forKey: connection.id) }
    }

    private func refuse(_ channel: Connection, with error: RemoteError) async {
        var writer = JSONWriter()
        ServerFrame.error(id: nil, error).encode(to: &writer)
        let frame = writer.byteBuffer
        try? await channel.executeThenClose { _, outbound in
            try await outbound.write(FrameBatch([frame]))
        }
    }

    // MARK: Binding

    private static func bindListener(
        _ endpoint: RemoteEndpoint, context: ServerContext, accepted: AcceptedConnections, group: any EventLoopGroup
    ) async throws -> BoundListener {
        let maxFrameSize = context.limits.maxFrameSize
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let security = endpoint.isTLS ? context.configuration.tls : nil
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Accepted> = { channel in
            channel.eventLoop.makeCompletedFuture {
                // TLS first: the handshake's deadline is the hello deadline (the connection's
                // watchdog runs from acceptance), and everything after it sees plain frames.
                var peerIdentity: Locked<PeerIdentity?>?
                if let security {
                    let identity = Locked<PeerIdentity?>(nil)
                    try security.secureServerChannel(channel) { proven in identity.withLock { $0 = proven } }
                    peerIdentity = identity
                }
                try channel.pipeline.syncOperations.addHandler(InputEndTracker())
                try channel.pipeline.syncOperations.addNewlineFraming(maxFrameSize: maxFrameSize)
                let connection = try Connection(wrappingChannelSynchronously: channel)
                accepted.register(connection)
                return Accepted(connection: connection, peerIdentity: peerIdentity)
            }
        }
        if let path = endpoint.unixSocketPath {
            let file = try UnixSocketFile.bind(path: path)
            let channel: Listener
            do {
                channel = try await bootstrap.bind(file.descriptor, childChannelInitializer: initializer)
            } catch {
                file.remove()
                throw error
            }
            return BoundListener(channel: channel, endpoint: endpoint, socketFile: file)
        }
        guard let (host, port) = endpoint.tcpAddress else {
            throw RemoteError(.invalidConfiguration, "unsupported listener \(endpoint)")
        }
        let channel: Listener
        do {
            channel = try await bootstrap
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.so_keepalive), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port, childChannelInitializer: initializer)
        } catch let error as IOError where error.errnoCode == addressInUseErrno {
            throw RemoteError(.addressInUse, "another process is listening on \(endpoint)")
        }
        let actualPort = channel.channel.localAddress?.port ?? port
        return BoundListener(channel: channel, endpoint: endpoint.withPort(actualPort), socketFile: nil)
    }
}

