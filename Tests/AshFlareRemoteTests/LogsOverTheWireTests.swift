import AshFlare
import AshFlareRemote
import AshFlareTestKit
import NIOCore
import NIOPosix
import Testing

@Suite("Logs on the wire", .timeLimit(.minutes(2)))
struct LogsOverTheWireTests {
    @Test("a remote tail returns the current and the previous incarnation's lines, exactly as locally", arguments: Transport.allCases)
    func tail(_ transport: Transport) async throws {
        let tap = LogTap()
        let served = try await ServedTree.start(.talking(tap), on: transport, treeOptions: SupervisionOptions(logLimits: LogLimits(maxLineBytes: 16)))
        let client = served.client()
        var events = served.tree.events().makeAsyncIterator()
        tap.write("starting")
        tap.write("out of memory: a very long line indeed", stream: .stderr)
        try await client.kill("shop/talker")
        _ = await events.next(where: { $0.isStarted("shop/talker", incarnation: 2) })
        tap.write("back again")

        let previous = try await client.logTail(of: "shop/talker", scope: .previous, limit: nil)
        #expect(previous == (try served.tree.logTail(of: "shop/talker", scope: .previous)))
        #expect(previous.lines.map(\.text) == ["starting", "out of memory: a"])
        #expect(previous.lines.last?.cutBytes == 22)
        #expect(previous.lines.last?.stream == .stderr)
        #expect(previous.incarnation == 2)
        let current = try await client.logTail(of: "shop/talker", scope: .current, limit: 5)
        #expect(current.lines.map(\.sequence) == [3])
        #expect(try await client.logTail(of: "shop/talker", scope: .all, limit: 2).lines.map(\.text) == ["out of memory: a", "back again"])
        await client.close()
        await served.stop()
    }

    @Test("a follower gets numbered lines across a restart on the same connection as events, then the end", arguments: Transport.allCases)
    func follow(_ transport: Transport) async throws {
        let tap = LogTap()
        let served = try await ServedTree.start(.talking(tap), on: transport)
        let client = served.client()
        tap.write("held")
        let observation = try await client.observe()
        var events = observation.events.makeAsyncIterator()
        var lines = try await client.followLog(of: "shop/talker", backlog: 5).makeAsyncIterator()
        guard case .line(let held) = await lines.next() else { Issue.record("no held line"); return }
        #expect(held.text == "held" && held.sequence == 1)
        try await client.kill("shop/talker")
        _ = await events.next(where: { $0.isStarted("shop/talker", incarnation: 2) })
        tap.write("after the restart", stream: .stderr)
        guard case .line(let next) = await lines.next() else { Issue.record("no new line"); return }
        #expect(next.sequence == 2 && next.incarnation == 2 && next.stream == .stderr && next.text == "after the restart")
        try await client.terminate("shop/talker")
        try await client.delete("shop/talker")
        #expect(await lines.next() == nil)
        #expect(client.lastConnectionError == nil)
        try await client.ping()
        await client.close()
        await served.stop()
    }

    @Test("an unknown path and a supervisor get typed errors, and the connection stays usable")
    func badPaths() async throws {
        let served = try await ServedTree.start(.talking(LogTap()), on: .unix)
        let client = served.client()
        await expectSupervisorError(.childNotFound) { _ = try await client.logTail(of: "shop/nope", scope: .current, limit: nil) }
        await expectSupervisorError(.childNotFound) { _ = try await client.followLog(of: "elsewhere/talker", backlog: 0) }
        await expectSupervisorError(.notAWorker) { _ = try await client.followLog(of: "shop/db", backlog: 0) }
        let raw = try await served.greetedRaw()
        try await raw.send("{\"id\":1,\"op\":\"logs\",\"path\":\"shop/talker\",\"limit\":-1}\n")
        #expect(try await raw.readLine()?.contains("\"code\":\"badRequest\"") == true)
        try await raw.send("{\"id\":2,\"op\":\"logs\",\"path\":\"shop/talker\",\"scope\":\"yesterday\"}\n")
        #expect(try await raw.readLine()?.contains("\"code\":\"badRequest\"") == true)
        try await client.ping()
        await client.close()
        await served.stop()
    }

    @Test("a client that follows a log and never reads blocks neither the child nor the server, and learns what it missed")
    func followerThatNeverReads() async throws {
        let tap = LogTap()
        let served = try await ServedTree.start(.talking(tap), on: .unix, treeOptions: SupervisionOptions(logLimits: LogLimits(maxLines: 500)))
        let silent = try await SilentClient.connect(to: served.endpoint)
        silent.send("{\"id\":0,\"op\":\"hello\",\"version\":1}\n{\"id\":1,\"op\":\"followLogs\",\"path\":\"shop/talker\",\"backlog\":0}\n")
        // Read just until the follow is answered (its pump runs), then nothing more.
        _ = try await silent.waitForLine { $0.hasPrefix("{\"id\":1,\"result\":{}") }
        let other = served.client()
        let padding = String(repeating: "x", count: 200)
        // 100,000 lines of ≈ 210 bytes (≈ 21 MB) into a socket nobody reads: the writer must finish.
        for index in 1...100_000 { tap.write("\(index) \(padding)") }
        try await other.ping()
        let tail = try await other.logTail(of: "shop/talker", scope: .all, limit: 1)
        #expect(tail.nextSequence == 100_001)
        #expect(tail.lines.first?.text.hasPrefix("100000 ") == true)

        silent.startReading()
        let lagged = try await silent.waitForLine { $0.contains("\"log\":{\"lagged\":") }
        #expect(lagged.hasPrefix("{\"subscription\":1,\"log\":{\"lagged\":"))
        let last = try await silent.waitForLine { $0.contains("\"sequence\":100000,") }
        #expect(last.contains("\"text\":\"100000 "))
        #expect(try await other.logTail(of: "shop/talker", scope: .all, limit: 0).missedByFollowers > 90_000)
        silent.close()
        await other.close()
        await served.stop()
    }
}

/// A Unix-socket client that reads nothing until told to: its socket buffer fills and the
/// server sees a client that does not read.
final class SilentClient: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let lines = Locked<(partial: [UInt8], complete: [String], waiter: CheckedContinuation<Void, Never>?)>(([], [], nil))

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            let waiter = lines.withLock { state -> CheckedContinuation<Void, Never>? in
                for byte in buffer.readableBytesView {
                    if byte == UInt8(ascii: "\n") {
                        state.complete.append(String(decoding: state.partial, as: UTF8.self))
                        state.partial.removeAll(keepingCapacity: true)
                    } else {
                        state.partial.append(byte)
                    }
                }
                return state.waiter.take()
            }
            waiter?.resume()
        }
    }

    private let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(to endpoint: RemoteEndpoint) async throws -> SilentClient {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: false)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(unixDomainSocketPath: endpoint.unixSocketPath!).get()
        return SilentClient(channel: channel, collector: collector)
    }

    func send(_ text: String) {
        channel.writeAndFlush(ByteBuffer(string: text), promise: nil)
    }

    /// Reads from now on.
    func startReading() {
        channel.setOption(.autoRead, value: true).whenSuccess { [channel] in channel.read() }
    }

    /// Waits for (and consumes up to) the first line satisfying `predicate`.
    func waitForLine(_ predicate: @escaping @Sendable (String) -> Bool) async throws -> String {
        while true {
            let found = collector.lines.withLock { state -> String?? in
                if let index = state.complete.firstIndex(where: predicate) {
                    defer { state.complete.removeFirst(index + 1) }
                    return .some(state.complete[index])
                }
                state.complete.removeAll()
                return channel.isActive ? nil : .some(nil)
            }
            if let found {
                guard let line = found else { throw ChannelError.ioOnClosedChannel }
                return line
            }
            // One read's worth (autoRead is off until startReading()).
            channel.read()
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = collector.lines.withLock { state -> Bool in
                    if !state.complete.isEmpty || !channel.isActive { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    func close() { channel.close(promise: nil) }
}
