import AshFlare
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// One open connection of a ``RemoteSupervisor``: request ids, pending replies, subscriptions.
///
/// Frames are decoded and routed on the channel's event loop by a ``ClientFrameHandler``: a
/// reply resumes its request, an event goes straight into its subscription's stream, with no
/// reader task in between (each hop between threads costs more than decoding a small frame).
/// When the connection ends, every pending request fails with the reason and every
/// subscription's stream finishes.
final class ClientConnection: Sendable {
    private struct Pending {
        var shape: WireResult.Shape
        /// The caller, once it waits.
        var continuation: CheckedContinuation<WireResult, any Error>?
        /// The reply, if it came before the caller waited.
        var outcome: Result<WireResult, any Error>?
        /// The caller was cancelled: the reply is still read (its shape is needed) and dropped.
        var cancelled = false
    }

    private struct State {
        var nextID: UInt64 = 1
        var pending: [UInt64: Pending] = [:]
        var subscriptions: [UInt64: EventFeed] = [:]
        var logSubscriptions: [UInt64: AsyncStream<ChildLogEntry>.Continuation] = [:]
        /// Set once the connection has ended.
        var endError: RemoteError?
        /// An error the server announced (an error frame with a null id) before closing.
        var announcedError: RemoteError?
        var channel: (any Channel)?
    }

    private let state = Locked(State())
    private let endpoint: RemoteEndpoint
    private let eventBufferSize: Int
    private let maxDepth = 4096
    /// Called once when the connection ends, before any stream is finished.
    private let onEnd: @Sendable (RemoteError) -> Void

    private init(endpoint: RemoteEndpoint, eventBufferSize: Int, onEnd: @escaping @Sendable (RemoteError) -> Void) {
        self.endpoint = endpoint
        self.eventBufferSize = eventBufferSize
        self.onEnd = onEnd
    }

    /// Connects to `endpoint` and starts reading; the handshake is the caller's first request.
    static func open(
        _ endpoint: RemoteEndpoint, configuration: RemoteSupervisor.Configuration,
        onEnd: @escaping @Sendable (RemoteError) -> Void
    ) async throws -> ClientConnection {
        try configuration.validate(for: endpoint)
        let maxFrameSize = configuration.maxFrameSize
        let security = endpoint.isTLS ? configuration.tls : nil
        let host = endpoint.tcpAddress?.host ?? ""
        let bootstrap = ClientBootstrap(group: configuration.eventLoopGroup)
            .connectTimeout(.nanoseconds(configuration.connectTimeout.wireNanoseconds))
            // Snapshots of large trees arrive in big frames: read in big chunks.
            .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16 * 1024, maximum: 1024 * 1024))
        let connection = ClientConnection(endpoint: endpoint, eventBufferSize: configuration.eventBufferSize, onEnd: onEnd)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<any Channel> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try security?.secureClientChannel(channel, host: host)
                try channel.pipeline.syncOperations.addNewlineFraming(maxFrameSize: maxFrameSize, largeFrames: true)
                try channel.pipeline.syncOperations.addHandler(ClientFrameHandler(connection: connection))
                return channel
            }
        }
        let channel: any Channel
        do {
            if let path = endpoint.unixSocketPath {
                channel = try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
            } else if let (host, port) = endpoint.tcpAddress {
                channel = try await bootstrap
                    .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                    .connect(host: host, port: port, channelInitializer: initializer)
            } else {
                throw RemoteError(.invalidEndpoint, "unsupported endpoint \(endpoint)")
            }
        } catch let error as RemoteError {
            throw error
        } catch {
            throw RemoteError(.connectionFailed, "could not connect to \(endpoint): \(Self.describe(error))")
        }
        connection.attach(channel)
        return connection
    }

    /// Records the connected channel, unless the connection has already ended.
    private func attach(_ channel: any Channel) {
        let ended = state.withLock { state -> Bool in
            guard state.endError == nil else { return true }
            state.channel = channel
            return false
        }
        if ended { channel.close(promise: nil) }
    }

    // MARK: Requests

    /// Sends `operation` and waits for its reply.
    /// - Throws: ``AshFlare/SupervisorError`` for the tree's errors, ``RemoteError`` for the rest.
    func request(_ operation: WireRequest.Operation) async throws -> WireResult {
        let id = state.withLock { state -> UInt64 in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return try await send(WireRequest(id: id, operation: operation))
    }

    /// Subscribes: a snapshot, then the events after it.
    func observe() async throws -> TreeObservation {
        let (id, feed) = try state.withLock { state throws(RemoteError) -> (UInt64, EventFeed) in
            if let error = state.endError { throw error }
            let id = state.nextID
            state.nextID += 1
            let feed = EventFeed(capacity: eventBufferSize) { [weak self] in self?.unsubscribe(id) }
            state.subscriptions[id] = feed
            return (id, feed)
        }
        let result: WireResult
        do {
            result = try await send(WireRequest(id: id, operation: .subscribe))
        } catch {
            state.withLock { $0.subscriptions.removeValue(forKey: id) }?.finish()
            throw error
        }
        guard case .subscribed(let snapshot) = result else {
            throw RemoteError(.protocolViolation, "the reply to subscribe has no snapshot")
        }
        return TreeObservation(snapshot: snapshot, events: feed.events(firstSequence: snapshot.sequence + 1))
    }

    /// Follows a child's log: its held lines (up to `backlog`), then every new one.
    func followLog(of path: ChildPath, backlog: Int) async throws -> ChildLogLines {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ChildLogEntry.self, bufferingPolicy: .bufferingNewest(max(1, eventBufferSize)))
        let id = try state.withLock { state throws(RemoteError) -> UInt64 in
            if let error = state.endError { throw error }
            defer { state.nextID += 1 }
            state.logSubscriptions[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        do {
            _ = try await send(WireRequest(id: id, operation: .followLogs(path, backlog: backlog)))
        } catch {
            state.withLock { $0.logSubscriptions.removeValue(forKey: id) }?.finish()
            throw error
        }
        return ChildLogLines(stream)
    }

    /// Closes the connection; pending requests fail with `reason`.
    func close(_ reason: RemoteError) {
        let channel = state.withLock { state in
            if state.announcedError == nil { state.announcedError = reason }
            return state.channel
        }
        channel?.close(promise: nil)
    }

    private func send(_ request: WireRequest) async throws -> WireResult {
        var writer = JSONWriter(capacity: 96)
        request.encode(to: &writer)
        let frame = FrameBatch([writer.byteBuffer])
        let id = request.id
        // Registered before sending: the reply may arrive before the write completes.
        let channel = try state.withLock { state throws(RemoteError) -> any Channel in
            if let error = state.endError { throw error }
            guard let channel = state.channel else { throw RemoteError(.connectionLost, "the connection to \(endpoint) is not open") }
            state.pending[id] = Pending(shape: WireResult.Shape(request.operation))
            return channel
        }
        // Not awaited (no hop back from the event loop): a failed write closes the channel, and
        // the end of the connection fails the request.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { [channel] _ in channel.close(promise: nil) }
        channel.writeAndFlush(frame, promise: written)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WireResult, any Error>) in
                let ready = state.withLock { state -> Result<WireResult, any Error>? in
                    guard var entry = state.pending[id] else {
                        return .failure(state.endError ?? RemoteError(.connectionLost, "the connection to \(endpoint) was closed"))
                    }
                    if let outcome = entry.outcome {
                        state.pending[id] = nil
                        return outcome
                    }
                    if entry.cancelled { return .failure(CancellationError()) }
                    entry.continuation = continuation
                    state.pending[id] = entry
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<WireResult, any Error>? in
                state.pending[id]?.cancelled = true
                defer { state.pending[id]?.continuation = nil }
                return state.pending[id]?.continuation
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Delivers the outcome of request `id` to its caller, now or when it waits.
    private func complete(_ id: UInt64, with outcome: Result<WireResult, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<WireResult, any Error>? in
            guard var entry = state.pending[id] else { return nil }
            if entry.cancelled {
                state.pending[id] = nil
                return nil
            }
            guard let continuation = entry.continuation else {
                entry.outcome = outcome
                state.pending[id] = entry
                return nil
            }
            state.pending[id] = nil
            return continuation
        }
        continuation?.resume(with: outcome)
    }

    private func unsubscribe(_ id: UInt64) {
        let open = state.withLock { state -> Bool in
            state.endError == nil
                && (state.subscriptions.removeValue(forKey: id) != nil || state.logSubscriptions.removeValue(forKey: id) != nil)
        }
        guard open else { return }
        Task { _ = try? await self.request(.unsubscribe(subscription: id)) }
    }

    // MARK: Frames

    /// The start of `frame` as printable text for an error message: at most 60 characters, with
    /// control characters and invalid UTF-8 shown as `?`, so the message stays on one line.
    static func excerpt(_ frame: ByteBuffer) -> String {
        let text = String(decoding: frame.readableBytesView.prefix(240), as: UTF8.self)
        let printable = String(text.unicodeScalars.prefix(60).map { scalar -> Character in
            scalar.properties.generalCategory == .control || scalar == "\u{FFFD}" ? "?" : Character(scalar)
        })
        return text.unicodeScalars.count > 60 ? printable + "…" : printable
    }

    /// Routes one frame (on the event loop); returns an error that ends the connection, if any.
    ///
    /// Events are held in `held` until the read ends (``deliver(_:)``) or another kind of frame
    /// comes: a reply or an end is routed only after the events before it are delivered.
    func receive(_ bytes: ByteBuffer, holdingEventsIn held: inout HeldEvents) -> RemoteError? {
        guard bytes.readableBytes > 0 else { return nil }
        let decoded: Result<ServerFrame, WireError> = bytes.withUnsafeReadableBytes { bytes in
            Result { () throws(WireError) -> ServerFrame in
                try ServerFrame.decode(bytes, maxDepth: maxDepth) { id in
                    self.state.withLock { $0.pending[id]?.shape }
                }
            }
        }
        let frame: ServerFrame
        switch decoded {
        case .failure(let error):
            deliver(&held)
            let excerpt = Self.excerpt(bytes)
            return RemoteError(
                .protocolViolation,
                "\(endpoint) sent a line that is not an AshFlare frame ('\(excerpt)': \(error.message)); is it an AshFlare server?")
        case .success(let decodedFrame):
            let routed = held.route(decodedFrame)
            deliver(routed.released)
            guard let passed = routed.frame else { return nil }
            frame = passed
        }
        switch frame {
        case .reply(let id, let result):
            complete(id, with: .success(result))
        case .error(let id?, let code, let message):
            complete(id, with: .failure(WireErrorReply.error(code: code, message: message)))
        case .error(nil, let code, let message):
            let error = WireErrorReply.error(code: code, message: message)
            state.withLock { $0.announcedError = error as? RemoteError ?? RemoteError(.unrecognized, "\(code): \(message)") }
        case .event:
            break  // held by route(_:)
        case .end(let subscription, _):
            let (events, log) = state.withLock {
                ($0.subscriptions.removeValue(forKey: subscription), $0.logSubscriptions.removeValue(forKey: subscription))
            }
            events?.finish()
            log?.finish()
        case .log(let subscription, let entry):
            let continuation = state.withLock { $0.logSubscriptions[subscription] }
            continuation?.yield(entry)
        }
        return nil
    }

    /// Hands the held events to their subscriptions: one batch each.
    func deliver(_ held: inout HeldEvents) { deliver(held.take()) }

    private func deliver(_ runs: [HeldEvents.Run]) {
        for run in runs {
            state.withLock { $0.subscriptions[run.subscription] }?.deliver(run.events)
        }
    }

    /// Ends the connection (on the event loop, once the channel is inactive).
    func end(_ error: RemoteError?) {
        typealias Ending = (
            RemoteError, [CheckedContinuation<WireResult, any Error>], [EventFeed],
            [AsyncStream<ChildLogEntry>.Continuation]
        )
        let ending = state.withLock { state -> Ending? in
            guard state.endError == nil else { return nil }
            let reason = error ?? state.announcedError
                ?? RemoteError(.connectionLost, "the connection to \(endpoint) was closed")
            state.endError = reason
            // A reply that arrived before its caller waited stays for the caller to collect.
            let waiting = state.pending.values.compactMap(\.continuation)
            state.pending = state.pending.filter { $0.value.continuation == nil && $0.value.outcome != nil }
            defer {
                state.subscriptions.removeAll()
                state.logSubscriptions.removeAll()
            }
            return (reason, waiting, Array(state.subscriptions.values), Array(state.logSubscriptions.values))
        }
        guard let (reason, pending, subscriptions, logs) = ending else { return }
        onEnd(reason)
        for continuation in pending { continuation.resume(throwing: reason) }
        for subscription in subscriptions { subscription.finish() }
        for log in logs { log.finish() }
    }

    /// A one-line reason for a failed connect: `Connection refused`, `timed out`, …
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as IOError:
            return String(decoding: strerrorBytes(error.errnoCode), as: UTF8.self)
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return describe(first.error) }
            if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve '\(error.host)': \(dns)" }
            return "cannot resolve '\(error.host)'"
        case let error as ChannelError:
            if case .connectTimeout = error { return "timed out" }
            return "\(error)"
        default:
            return "\(error)"
        }
    }

    private static func strerrorBytes(_ code: CInt) -> [UInt8] {
        guard let message = strerror(code) else { return Array("error \(code)".utf8) }
        var bytes: [UInt8] = []
        var pointer = message
        while pointer.pointee != 0 {
            bytes.append(UInt8(bitPattern: pointer.pointee))
            pointer += 1
        }
        return bytes
    }
}

/// The events decoded from one read of the socket, by subscription in arrival order, until the
/// read ends: delivered as one batch per subscription instead of one hand-off per event.
struct HeldEvents {
    /// Consecutive events of one subscription.
    struct Run {
        var subscription: UInt64
        var events: [SupervisorEvent]
    }

    private var runs: [Run] = []

    /// Routes one frame: an event is held (`frame` nil); any other frame releases everything
    /// held first, so a reply, an error or an `end` never overtakes the events sent before it.
    mutating func route(_ frame: ServerFrame) -> (released: [Run], frame: ServerFrame?) {
        if case .event(let subscription, let event) = frame {
            if let last = runs.indices.last, runs[last].subscription == subscription {
                runs[last].events.append(event)
            } else {
                runs.append(Run(subscription: subscription, events: [event]))
            }
            return ([], nil)
        }
        return (take(), frame)
    }

    /// The runs held so far; empties the holder.
    mutating func take() -> [Run] {
        defer { runs = [] }
        return runs
    }
}
