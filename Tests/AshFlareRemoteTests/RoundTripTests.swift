import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

@Suite("Every operation round-trips over TCP and Unix sockets", .timeLimit(.minutes(1)))
struct RoundTripTests {
    @Test("hello reports the protocol version, root and permission", arguments: Transport.allCases)
    func hello(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client()
        let hello = try await client.connect()
        #expect(hello.version == 2, "the client offers 1 and 2; this server speaks 2")
        #expect(hello.root == "shop")
        #expect(hello.permission == .control)
        #expect(hello.maxFrameSize == SupervisorServer.Limits().maxFrameSize)
        try await client.ping()
        await client.close()
        await served.stop()
    }

    @Test("snapshot, whichChildren and countChildren equal the local handle's answers", arguments: Transport.allCases)
    func reads(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client()
        #expect(try await client.snapshot() == served.tree.snapshot())
        for path: ChildPath in ["shop", "shop/db", "shop/workers"] {
            #expect(try await client.whichChildren(of: path) == served.tree.whichChildren(of: path))
            #expect(try await client.countChildren(of: path) == served.tree.countChildren(of: path))
        }
        await client.close()
        await served.stop()
    }

    @Test("kill, terminate, restart and delete act on the tree and are seen in the event stream", arguments: Transport.allCases)
    func control(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client()
        let observation = try await client.observe()
        #expect(observation.snapshot.node(at: "shop/db/pool")?.state == .running)
        var events = observation.events.makeAsyncIterator()

        try await client.kill("shop/db/pool")
        #expect(await events.next(where: { $0.isExited("shop/db/pool") })?.kind
            == .childExited(path: "shop/db/pool", incarnation: 1, reason: .killed))
        #expect(await events.next(where: { $0.isStarted("shop/db/pool") })?.kind == .childStarted(path: "shop/db/pool", incarnation: 2))

        try await client.terminate("shop/db/pool")
        #expect(try await client.whichChildren(of: "shop/db").last?.state == .stopped)
        try await client.restart("shop/db/pool")
        #expect(await events.next(where: { $0.isStarted("shop/db/pool", incarnation: 3) }) != nil)
        #expect(try served.tree.whichChildren(of: "shop/db").last?.state == .running)

        try await client.terminate("shop/db/pool")
        try await client.delete("shop/db/pool")
        #expect(await events.next(where: { $0 == .childRemoved(path: "shop/db/pool") }) != nil)
        #expect(try served.tree.whichChildren(of: "shop/db").map(\.id) == ["conn"])
        await client.close()
        await served.stop()
    }

    @Test("startChild starts a child from a template and returns its path", arguments: Transport.allCases)
    func startChild(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client()
        let first = try await client.startChild(template: "fetcher", arguments: ["https://a"], under: "shop/workers")
        let second = try await client.startChild(template: "fetcher", arguments: ["https://b", "250"], under: "shop/workers")
        #expect(first == "shop/workers/fetcher-1")
        #expect(second == "shop/workers/fetcher-2")
        #expect(try served.tree.whichChildren(of: "shop/workers").map(\.state) == [.running, .running])
        let templates = try await client.snapshot().node(at: "shop/workers")?.supervisor?.templates
        #expect(templates == [WorkerTemplate.fetcher.info])
        await client.close()
        await served.stop()
    }

    @Test("the tree's errors arrive as the same SupervisorError a local handle throws", arguments: Transport.allCases)
    func treeErrors(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client()
        await expectSupervisorError(.childNotFound) { try await client.kill("shop/nope") }
        await expectSupervisorError(.childNotFound) { _ = try await client.whichChildren(of: "elsewhere") }
        await expectSupervisorError(.notASupervisor) { _ = try await client.countChildren(of: "shop/acceptor") }
        await expectSupervisorError(.childRunning) { try await client.delete("shop/acceptor") }
        await expectSupervisorError(.unknownTemplate) { _ = try await client.startChild(template: "nope", under: "shop/workers") }
        await expectSupervisorError(.badArguments) { _ = try await client.startChild(template: "fetcher", under: "shop/workers") }
        // The connection survives every one of them.
        try await client.ping()
        #expect(try await client.snapshot() == served.tree.snapshot())
        await client.close()
        await served.stop()
    }

    @Test("shutdown returns once the remote tree has stopped, and ends the event stream", arguments: Transport.allCases)
    func shutdown(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client()
        let observation = try await client.observe()
        try await client.shutdown()
        #expect(served.tree.snapshot().root.state == .stopped)
        var kinds: [SupervisorEvent.Kind] = []
        for await event in observation.events { kinds.append(event.kind) }
        #expect(kinds.contains(.shutdownFinished(supervisor: "shop")))
        #expect(kinds.last == .childExited(path: "shop", incarnation: 1, reason: .shutdown))
        #expect(client.lastConnectionError == nil)
        await expectSupervisorError(.shuttingDown) { try await client.kill("shop/acceptor") }
        await client.close()
        await served.stop()
    }

    @Test("several requests and a subscription share one connection", arguments: Transport.allCases)
    func multiplexing(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client()
        let observation = try await client.observe()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask { _ = try await client.snapshot() }
                group.addTask { _ = try await client.whichChildren(of: "shop/db") }
                group.addTask { try await client.ping() }
            }
            try await group.waitForAll()
        }
        try await client.kill("shop/acceptor")
        var events = observation.events.makeAsyncIterator()
        #expect(await events.next(where: { $0.isStarted("shop/acceptor", incarnation: 2) }) != nil)
        #expect(served.server.connectionCount == 1)
        await client.close()
        await served.stop()
    }
}
