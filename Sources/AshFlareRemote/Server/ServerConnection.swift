import AshFlare
import Logging
import NIOCore
import NIOExtras

/// One client connection: handshake, requests, subscriptions, timeouts and limits.
///
/// Several tasks serve it: the reader (this connection's `run`), which decodes frames and starts
/// a task per request; per subscription an event pump; and a watchdog for the handshake, idle
/// and linger timeouts. Everything they send goes through the ``Outbox``, which writes on the
/// event loop.
final class ServerConnection: Sendable {
    let id: Int
    let isUnixSocket: Bool
    /// On a TLS connection, the identity the client's verified certificate proved (set during
    /// the TLS handshake, before any frame arrives); nil for Unix sockets and plain TCP.
    let peerIdentity: Locked<PeerIdentity?>?
    let context: ServerContext
    let channel: any Channel
    /// The channel's event loop as a task executor: the reader and cheap requests run there.
    let executor: EventLoopTaskExecutor
    let outbox: Outbox
    let state: Locked<ConnectionState>
    let logger: Logger
    /// The task enforcing the current deadline; replaced when a deadline moves earlier.
    private let watchdog = Locked<(task: Task<Void, Never>?, ended: Bool)>((nil, false))

    init(id: Int, channel: any Channel, isUnixSocket: Bool, peerIdentity: Locked<PeerIdentity?>? = nil, context: ServerContext) {
        self.id = id
        self.peerIdentity = peerIdentity
        self.channel = channel
        self.executor = EventLoopTaskExecutor(channel.eventLoop)
        self.isUnixSocket = isUnixSocket
        self.context = context
        self.outbox = Outbox(channel: channel, maxEventBacklog: context.limits.maxEventBacklog)
        self.state = Locked(ConnectionState(acceptedAt: context.clock.now()))
        var logger = context.configuration.logger
        logger[metadataKey: "remote.connection"] = "\(id)"
        logger[metadataKey: "remote.peer"] = "\(channel.remoteAddress?.description ?? (isUnixSocket ? "unix socket" : "unknown"))"
        self.logger = logger
    }

    // MARK: Life cycle

    /// Serves the connection until it closes.
    func run(_ asyncChannel: NIOAsyncChannel<ByteBuffer, FrameBatch>) async {
        logger.debug("connection accepted")
        rearmWatchdog()
        do {
            try await asyncChannel.executeThenClose { inbound, _ in
                // Replies and events are written by the outbox on the event loop, not through
                // the async writer: no task has to wake up to send them.
                let outbox = self.outbox
                try await channel.eventLoop.submit { [channel] in
                    try channel.pipeline.syncOperations.addHandler(WritabilityHandler(outbox: outbox), position: .first)
                }.get()
                var frames = inbound.makeAsyncIterator()
                let endOfInput = await read(&frames)
                cancelSubscriptions()
                if endOfInput {
                    // The client closed its side: answer what is in flight, then close.
                    await waitForRequests()
                }
                let closing = state.withLock { $0.isClosing }
                outbox.finish(closeWhenDrained: !closing)
                if closing {
                    // Closing for cause: keep consuming (the InputDiscarder swallows the bytes)
                    // until the client closes or the linger timeout closes the channel.
                    while (try? await frames.next()) != nil {}
                }
                try? await channel.closeFuture.get()
            }
        } catch {
            logger.debug("connection failed", metadata: ["remote.error": "\(error)"])
        }
        watchdog.withLock { watchdog in
            watchdog.ended = true
            return watchdog.task.take()
        }?.cancel()
        cancelSubscriptions()
        logger.debug("connection closed")
    }

    /// Closes the connection because the server is stopping.
    func stop() {
        closeNow(RemoteError(.serverStopping, "the server is stopping"), level: .debug)
    }

    /// Reads frames until the input ends (true) or the connection closes (false).
    private func read(_ frames: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async -> Bool {
        do {
            while true {
                // A client that does not read its replies is not read either (see Outbox).
                await outbox.waitUntilWritable()
                guard let frame = try await frames.next() else { break }
                guard frame.readableBytes > 0 else { continue }  // blank lines are allowed
                guard await handle(frame) else { return false }
            }
            // The input also ends when this side closed the connection.
            return state.withLock { !$0.isClosing }
        } catch is FrameTooLargeError {
            closeNow(RemoteError(.frameTooLarge, "a frame exceeded the limit of \(context.limits.maxFrameSize) bytes; closing"))
        } catch let error as NIOExtrasErrors.LeftOverBytesError {
            closeNow(RemoteError(
                .invalidJSON, "the input ended inside a frame (\(error.leftOverBytes.readableBytes) bytes without a newline); closing"))
        } catch {
            logger.debug("read failed", metadata: ["remote.error": "\(error)"])
        }
        return false
    }

    /// Starts (or restarts) the watchdog, so that it sleeps until the current deadline.
    private func rearmWatchdog() {
        let previous = watchdog.withLock { watchdog -> Task<Void, Never>?? in
            guard !watchdog.ended else { return .none }
            defer { watchdog.task = Task { await self.watch() } }
            return .some(watchdog.task)
        }
        previous??.cancel()
    }

    /// Enforces the handshake, idle and linger timeouts on the server's clock.
    private func watch() async {
        while !Task.isCancelled {
            let deadline = state.withLock { $0.deadline(context.limits) }
            let now = context.clock.now()
            if let deadline, now >= deadline.at {
                if deadline.error == nil {
                    // Lingered long enough for the client to close.
                    channel.close(promise: nil)
                    return
                }
                closeNow(deadline.error!, level: .debug)
                return
            }
            do {
                try await context.clock.sleep(deadline?.at ?? now + context.limits.idleTimeout)
            } catch {
                return
            }
        }
    }

    /// Sends `error` as the last frame and closes at once, without waiting for queued frames:
    /// a client that broke the rules, timed out or reads too slowly gets no more of our time.
    func closeNow(_ error: RemoteError, id: UInt64? = nil, level: Logger.Level = .info) {
        var writer = JSONWriter()
        ServerFrame.error(id: id, error).encode(to: &writer)
        let batch = FrameBatch([writer.byteBuffer])
        let channel = self.channel
        let now = context.clock.now()
        let (first, windingDown) = state.withLock { state in
            guard state.close(at: now) else { return (false, state.idleWaiter.take()) }
            // Enqueued while no one can have seen `closing` yet, so it runs before any close
            // that a task reacting to `closing` enqueues.
            channel.eventLoop.execute {
                let pipeline = channel.pipeline.syncOperations
                if (try? pipeline.handler(type: InputEndTracker.self))?.inputEnded == true {
                    // The client has already finished sending: last frame, then close at once.
                    channel.writeAndFlush(batch).whenComplete { _ in channel.close(promise: nil) }
                    return
                }
                // Last frame, then end our side and drain theirs until they close (see
                // InputDiscarder); the watchdog closes for good after the linger timeout.
                channel.writeAndFlush(batch, promise: nil)
                channel.close(mode: .output, promise: nil)
                do {
                    try pipeline.addHandler(InputDiscarder(), position: .first)
                    // Read on even if the reader task no longer asks for data.
                    channel.read()
                } catch {
                    channel.close(promise: nil)
                }
            }
            return (true, state.idleWaiter.take())
        }
        // A wind-down waiting for requests stops waiting: they will answer no one.
        windingDown?.resume()
        guard first else { return }
        outbox.finish()
        // The linger deadline is likely earlier than the one the watchdog sleeps towards.
        rearmWatchdog()
        logger.log(level: level, "closing connection", metadata: ["remote.reason": "\(error.code)", "remote.message": "\(error.message)"])
    }

    // MARK: Frames

    /// Handles one frame; returns false once the connection is closing.
    private func handle(_ frame: ByteBuffer) async -> Bool {
        let now = context.clock.now()
        let (phase, version) = state.withLock { state -> (ConnectionState.Phase, Int) in
            state.lastActivity = now
            return (state.phase, state.version)
        }
        let decoded = frame.withUnsafeReadableBytes { WireRequest.decode($0, strict: version >= 2) }
        switch phase {
        case .closing:
            return false
        case .awaitingHello:
            return handshake(decoded, frame: frame)
        case .ready(let permission):
            await dispatch(decoded, permission: permission)
            return true
        }
    }

    /// How this connection reached the server, for ``HelloAuthentication``.
    private var transport: ConnectionTransport {
        if isUnixSocket { return .unixSocket }
        if let peerIdentity { return .tls(identity: peerIdentity.withLock { $0 }) }
        return .plaintextTCP(peerIsLoopback: channel.remoteAddress?.isLoopback ?? false)
    }

    private func handshake(_ decoded: Result<WireRequest, WireRequest.Failure>, frame: ByteBuffer) -> Bool {
        let request: WireRequest
        switch decoded {
        case .failure(let failure):
            closeNow(RemoteError(failure.code, "\(failure.message); a connection must begin with hello"), id: failure.id)
            return false
        case .success(let value):
            request = value
        }
        guard case .hello(let requested, let token, let client, let offered) = request.operation else {
            closeNow(
                RemoteError(.handshakeRequired, "the first request must be 'hello' (was '\(request.operation.name)')"), id: request.id)
            return false
        }
        guard let version = RemoteProtocol.negotiate(requested: requested, offered: offered) else {
            let supported = RemoteProtocol.supportedVersions.map(String.init).joined(separator: ", ")
            let asked = ([requested] + offered).map(String.init).joined(separator: ", ")
            closeNow(
                RemoteError(.unsupportedVersion, "this server speaks protocol versions \(supported) (the client asked for \(asked))"),
                id: request.id)
            return false
        }
        if version >= 2, case .failure(let failure) = frame.withUnsafeReadableBytes({ WireRequest.decode($0, strict: true) }) {
            // A v2 hello is held to v2's rules: no field it does not take.
            closeNow(RemoteError(failure.code, "\(failure.message); a connection must begin with hello"), id: failure.id)
            return false
        }
        let permission: RemotePermission
        switch HelloAuthentication.permission(
            token: token, transport: transport, configuration: context.configuration, verifier: context.verifier)
        {
        case .success(let granted):
            permission = granted
        case .failure(let error):
            closeNow(error, id: request.id)
            return false
        }
        guard context.admission.withLock({ $0.authenticate(id) }) else {
            closeNow(
                RemoteError(.tooManyConnections, "the server has reached its limit of \(context.limits.maxConnections) connections"),
                id: request.id)
            return false
        }
        let accepted = state.withLock { state -> Bool in
            guard state.phase == .awaitingHello else { return false }
            state.phase = .ready(permission)
            state.version = version
            return true
        }
        guard accepted else { return false }
        logger.debug("hello", metadata: ["remote.client": "\(client ?? "")", "remote.permission": "\(permission)"])
        let hello = ServerHello(
            version: version, server: RemoteProtocol.serverName, root: context.root, permission: permission,
            maxFrameSize: context.limits.maxFrameSize)
        outbox.send(.reply(id: request.id, .hello(hello)))
        return true
    }
}
