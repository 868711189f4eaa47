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
/// A reader task decodes every frame and routes it: a reply resumes its request, an event goes
/// to its subscription's stream. When the connection ends, every pending request fails with the
/// reason and every subscription's stream finishes.
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
        var subscriptions: [UInt64: AsyncStream<SupervisorEvent>.Continuation] = [:]
        /// Set once the connection has ended.
        var endError: RemoteError?
        /// An error the server announced (an error frame with a null id) before closing.
        var announcedError: RemoteError?
        var outbound: NIOAsyncChannelOutboundWriter<FrameBatch>?
    }

    private let state = Locked(State())
    private let channel: any Channel
    private let endpoint: RemoteEndpoint
    private let eventBufferSize: Int
    private let maxDepth = 4096
    /// Called once when the connection ends, before any stream is finished.
    private let onEnd: @Sendable (RemoteError) -> Void

    private init(channel: any Channel, endpoint: RemoteEndpoint, eventBufferSize: Int, onEnd: @escaping @Sendable (RemoteError) -> Void) {
        self.channel = channel
        self.endpoint = endpoint
        self.eventBufferSize = eventBufferSize
        self.onEnd = onEnd
    }

    /// Connects to `endpoint` and starts reading; the handshake is the caller's first request.
    static func open(
        _ endpoint: RemoteEndpoint, configuration: RemoteSupervisor.Configuration,
        onEnd: @escaping @Sendable (RemoteError) -> Void
    ) async throws -> ClientConnection {
        let maxFrameSize = configuration.maxFrameSize
        let bootstrap = ClientBootstrap(group: configuration.eventLoopGroup)
            .connectTimeout(.nanoseconds(configuration.connectTimeout.wireNanoseconds))
            // Snapshots of large trees arrive in big frames: read in big chunks.
            .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16 * 1024, maximum: 1024 * 1024))
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, FrameBatch>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addNewlineFraming(maxFrameSize: maxFrameSize, largeFrames: true)
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
            }
        }
        let asyncChannel: NIOAsyncChannel<ByteBuffer, FrameBatch>
        do {
            if let path = endpoint.unixSocketPath {
                asyncChannel = try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
            } else if let (host, port) = endpoint.tcpAddress {
                asyncChannel = try await bootstrap
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
        let connection = ClientConnection(
            channel: asyncChannel.channel, endpoint: endpoint, eventBufferSize: configuration.eventBufferSize, onEnd: onEnd)
        await withCheckedContinuation { (ready: CheckedContinuation<Void, Never>) in
            Task { await connection.run(asyncChannel, ready: ready) }
        }
        return connection
    }

    private func run(_ asyncChannel: NIOAsyncChannel<ByteBuffer, FrameBatch>, ready: CheckedContinuation<Void, Never>) async {
        let readiness = Locked<CheckedContinuation<Void, Never>?>(ready)
        var endError: RemoteError?
        do {
            try await asyncChannel.executeThenClose { inbound, outbound in
                state.withLock { $0.outbound = outbound }
                readiness.withLock { $0.take() }?.resume()
                for try await frame in inbound {
                    if let error = receive(frame) {
                        endError = error
                        break
                    }
                }
            }
        } catch is FrameTooLargeError {
            endError = RemoteError(.frameTooLarge, "the server sent a frame larger than this client's limit")
        } catch {
            endError = nil
        }
        readiness.withLock { $0.take() }?.resume()
        end(endError)
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
        let (stream, continuation) = AsyncStream.makeStream(
            of: SupervisorEvent.self, bufferingPolicy: .bufferingNewest(max(1, eventBufferSize)))
        let id = try state.withLock { state throws(RemoteError) -> UInt64 in
            if let error = state.endError { throw error }
            defer { state.nextID += 1 }
            state.subscriptions[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
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
        return TreeObservation(snapshot: snapshot, events: SupervisorEvents(stream, firstSequence: snapshot.sequence + 1))
    }

    /// Closes the connection; pending requests fail with `reason`.
    func close(_ reason: RemoteError) {
        state.withLock { state in
            if state.announcedError == nil { state.announcedError = reason }
        }
        channel.close(promise: nil)
    }

    private func send(_ request: WireRequest) async throws -> WireResult {
        var writer = JSONWriter(capacity: 96)
        request.encode(to: &writer)
        let frame = FrameBatch([writer.byteBuffer])
        let id = request.id
        // Registered before sending: the reply may arrive before `write` returns.
        let outbound = try state.withLock { state throws(RemoteError) -> NIOAsyncChannelOutboundWriter<FrameBatch> in
            if let error = state.endError { throw error }
            guard let outbound = state.outbound else { throw RemoteError(.connectionLost, "the connection to \(endpoint) is not open") }
            state.pending[id] = Pending(shape: WireResult.Shape(request.operation))
            return outbound
        }
        do {
            try await outbound.write(frame)
        } catch {
            state.withLock { _ = $0.pending.removeValue(forKey: id) }
            throw state.withLock { $0.endError } ?? RemoteError(.connectionLost, "could not send to \(endpoint)")
        }
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
            state.endError == nil && state.subscriptions.removeValue(forKey: id) != nil
        }
        guard open else { return }
        Task { _ = try? await self.request(.unsubscribe(subscription: id)) }
    }

    // MARK: Frames

    /// Routes one frame; returns an error that ends the connection, if any.
    private func receive(_ frame: ByteBuffer) -> RemoteError? {
        guard frame.readableBytes > 0 else { return nil }
        let decoded: Result<ServerFrame, WireError> = frame.withUnsafeReadableBytes { bytes in
            Result { () throws(WireError) -> ServerFrame in
                try ServerFrame.decode(bytes, maxDepth: maxDepth) { id in
                    self.state.withLock { $0.pending[id]?.shape }
                }
            }
        }
        switch decoded {
        case .failure(let error):
            return RemoteError(.protocolViolation, "the server sent a frame this client cannot read: \(error.message)")
        case .success(.reply(let id, let result)):
            complete(id, with: .success(result))
        case .success(.error(let id?, let code, let message)):
            complete(id, with: .failure(WireErrorReply.error(code: code, message: message)))
        case .success(.error(nil, let code, let message)):
            let error = WireErrorReply.error(code: code, message: message)
            state.withLock { $0.announcedError = error as? RemoteError ?? RemoteError(.unrecognized, "\(code): \(message)") }
        case .success(.event(let subscription, let event)):
            let continuation = state.withLock { $0.subscriptions[subscription] }
            continuation?.yield(event)
        case .success(.end(let subscription, _)):
            let continuation = state.withLock { $0.subscriptions.removeValue(forKey: subscription) }
            continuation?.finish()
        }
        return nil
    }

    private func end(_ error: RemoteError?) {
        let (reason, pending, subscriptions) = state.withLock { state in
            let reason = error ?? state.announcedError
                ?? RemoteError(.connectionLost, "the connection to \(endpoint) was closed")
            state.endError = reason
            state.outbound = nil
            // A reply that arrived before its caller waited stays for the caller to collect.
            let waiting = state.pending.values.compactMap(\.continuation)
            state.pending = state.pending.filter { $0.value.continuation == nil && $0.value.outcome != nil }
            defer { state.subscriptions.removeAll() }
            return (reason, waiting, Array(state.subscriptions.values))
        }
        onEnd(reason)
        for continuation in pending { continuation.resume(throwing: reason) }
        for subscription in subscriptions { subscription.finish() }
        channel.close(promise: nil)
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
