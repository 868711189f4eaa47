import AshFlare
import AshFlareRemote
import NIOCore
import NIOPosix

/// A client that speaks raw bytes, for feeding the server what a real client never would.
///
/// It reads everything the server sends into a buffer; ``readLine()`` returns the next
/// newline-terminated line, or nil once the server has closed the connection and no line is left.
final class RawConnection: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var closed = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let state = Locked(State())
    private let writer = Locked<NIOAsyncChannelOutboundWriter<ByteBuffer>?>(nil)

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
    }

    /// Connects to `endpoint` with no framing at all.
    /// - Parameter staysOpen: When true, the connection stays open after the server has closed
    ///   its side, like a client that never closes (until ``close()``).
    /// - Parameter tls: When given, the bytes go through TLS (the handshake happens first);
    ///   otherwise they go to the socket as they are, even on a `tls://` endpoint.
    static func connect(
        to endpoint: RemoteEndpoint, staysOpen: Bool = false, tls: (any ClientTransportSecurity)? = nil
    ) async throws -> RawConnection {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try tls?.secureClientChannel(channel, host: endpoint.tcpAddress?.host ?? "")
                return try NIOAsyncChannel(
                    wrappingChannelSynchronously: channel,
                    configuration: .init(isOutboundHalfClosureEnabled: true))
            }
        }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        if let path = endpoint.unixSocketPath {
            channel = try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
        } else {
            let (host, port) = endpoint.tcpAddress!
            channel = try await bootstrap.connect(host: host, port: port, channelInitializer: initializer)
        }
        let connection = RawConnection(channel: channel)
        await withCheckedContinuation { (ready: CheckedContinuation<Void, Never>) in
            let readiness = Locked<CheckedContinuation<Void, Never>?>(ready)
            Task {
                try? await channel.executeThenClose { inbound, outbound in
                    connection.writer.withLock { $0 = outbound }
                    readiness.withLock { $0.take() }?.resume()
                    for try await chunk in inbound { connection.append(chunk) }
                    connection.finish()
                    if staysOpen { try await channel.channel.closeFuture.get() }
                }
                readiness.withLock { $0.take() }?.resume()
                connection.finish()
            }
        }
        return connection
    }

    private var outbound: NIOAsyncChannelOutboundWriter<ByteBuffer> {
        get throws {
            guard let writer = writer.withLock({ $0 }) else { throw ChannelError.ioOnClosedChannel }
            return writer
        }
    }

    /// Sends bytes.
    func send(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends text.
    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    /// Closes the sending side; the server sees the end of its input.
    func finishSending() {
        writer.withLock { $0 }?.finish()
    }

    /// Closes the connection.
    func close() async {
        try? await channel.channel.close()
    }

    /// The next line the server sent (without its newline), or nil at the end of the stream.
    func readLine() async throws -> String? {
        while true {
            let (line, ended) = state.withLock { state -> (String?, Bool) in
                if let newline = state.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: state.buffer[..<newline], as: UTF8.self)
                    state.buffer.removeFirst(newline + 1)
                    return (line, false)
                }
                return (nil, state.closed)
            }
            if let line { return line }
            if ended { return nil }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.closed || state.buffer.contains(UInt8(ascii: "\n")) { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Every remaining line until the server closes the connection.
    func readToEnd() async throws -> [String] {
        var lines: [String] = []
        while let line = try await readLine() { lines.append(line) }
        return lines
    }

    /// Whether the server has closed the connection (after the buffered lines are read).
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Returns once the connection is closed, by either side.
    func waitUntilClosed() async {
        try? await channel.channel.closeFuture.get()
    }

    private func append(_ chunk: ByteBuffer) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.buffer.append(contentsOf: chunk.readableBytesView)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    private func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
