import AshFlare
@testable import AshFlareRemote
import AshFlareTestKit
import Testing

@Suite("Event streams, concurrent clients, reconnection", .timeLimit(.minutes(2)))
struct StreamAndConcurrencyTests {
    @Test("the remote event stream is gap-free and in order through a burst of restarts", arguments: Transport.allCases)
    func burst(_ transport: Transport) async throws {
        let crashes = 2_000
        let script = WorkerScript()
        let spec = SupervisorSpec("burst", intensity: RestartIntensity(maxRestarts: 1_000_000, within: .seconds(1))) {
            ChildSpec.worker("flaky", backoff: .none) { script.makeWorker() }
            ChildSpec.worker("steady") { IdleWorker() }
        }
        // Large buffers everywhere: this test is about order and completeness, not about lag.
        let served = try await ServedTree.start(spec, on: transport, treeOptions: SupervisionOptions(eventBufferSize: 1_000_000)) {
            $0.limits.maxEventBacklog = 1_000_000
        }
        let client = served.client(eventBufferSize: 1_000_000)
        let observation = try await client.observe()
        var local = served.tree.events(bufferSize: 1_000_000).makeAsyncIterator()
        for _ in 0..<crashes { script.crash("burst") }

        var remote = observation.events.makeAsyncIterator()
        var expected = observation.snapshot.sequence + 1
        var restarts = 0
        while restarts < crashes {
            let event = try #require(await remote.next())
            #expect(event.sequence == expected, "gap or reorder after \(expected - 1)")
            if case .lagged = event.kind { Issue.record("lagged") }
            if event.kind.isStarted("burst/flaky") { restarts += 1 }
            // The same event, field for field, as a local subscriber saw it.
            #expect(await local.next() == event)
            expected = event.sequence + 1
        }
        #expect(try await client.snapshot().node(at: "burst/flaky")?.restartCount == crashes)
        await client.close()
        await served.stop()
    }

    @Test("50 clients at once on both transports, each doing mixed work")
    func fiftyClients() async throws {
        let count = 50
        let spec = SupervisorSpec("farm", intensity: RestartIntensity(maxRestarts: 1_000, within: .seconds(1))) {
            for index in 0..<count { ChildSpec.worker("w\(index)", backoff: .none) { IdleWorker() } }
            SupervisorSpec("pool").withTemplates([.fetcher])
        }
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock())
        let unix = try await ServedTree.serve(tree, on: .unix)
        let tcp = try await ServedTree.serve(tree, on: .tcp)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    let served = index.isMultiple(of: 2) ? unix : tcp
                    let client = served.client()
                    let path = ChildPath(components: ["farm", "w\(index)"])
                    let observation = try await client.observe()
                    #expect(observation.snapshot.node(at: path)?.state == .running)
                    #expect(try await client.whichChildren(of: "farm").count >= count)
                    #expect(try await client.countChildren(of: "farm").workers == count)
                    try await client.kill(path)
                    var events = observation.events.makeAsyncIterator()
                    #expect(await events.next(where: { $0.isStarted(path, incarnation: 2) }) != nil)
                    let started = try await client.startChild(template: "fetcher", arguments: ["https://\(index)"], under: "farm/pool")
                    #expect(started.components.count == 3)
                    await expectSupervisorError(.childNotFound) { try await client.terminate(ChildPath(components: ["farm", "none-\(index)"])) }
                    _ = try await client.snapshot()
                    await client.close()
                }
            }
            try await group.waitForAll()
        }
        #expect(try tree.countChildren(of: "farm/pool").active == count)
        #expect(tree.snapshot().root.children.prefix(count).allSatisfy { $0.incarnation == 2 })
        await unix.stopServer()
        await tcp.stopServer()
        await tree.shutdown()
    }

    @Test("more requests than the in-flight limit wait their turn: the server stops reading at the limit, then serves them all")
    func inFlightBackpressure() async throws {
        let tree = try await SupervisorHandle.start(.shop, clock: ManualClock())
        let gated = GatedTree(tree)
        let served = try await ServedTree.serve(tree, on: .unix, serving: gated) { $0.limits.maxRequestsInFlight = 2 }
        let raw = try await served.greetedRaw()
        gated.close()
        for id in 1...3 { try await raw.send("{\"id\":\(id),\"op\":\"snapshot\"}\n") }
        // Either the limit holds (two run, the reader waits for a slot) or it was ignored (a third runs).
        while !(gated.entered >= 2 && served.server.connectionsWaitingForARequestSlot == 1) && gated.entered < 3 {
            await Task.yield()
        }
        #expect(gated.entered == 2, "a third request ran while two were in flight")
        gated.open()
        var replies: Set<String> = []
        for _ in 1...3 { replies.insert(String(try #require(try await raw.readLine()).prefix(8))) }
        #expect(replies == ["{\"id\":1,", "{\"id\":2,", "{\"id\":3,"], "every request was served in the end")
        #expect(gated.mostAtOnce == 2)
        await raw.close()
        await served.stop()
    }

    @Test("losing the connection fails with a typed error and ends the stream; observe works again after the server is back")
    func reconnect() async throws {
        let path = temporarySocketPath("again")
        let tree = try await SupervisorHandle.start(.shop, clock: ManualClock())
        let first = try await ServedTree.serve(tree, on: .unix) { $0.listeners = [.unixSocket(path: path)] }
        let client = first.client()
        let observation = try await client.observe()
        await first.stopServer()
        for await _ in observation.events {}
        #expect(client.lastConnectionError?.code == .serverStopping)
        await expectRemoteError(.connectionFailed) { _ = try await client.snapshot() }

        let second = try await ServedTree.serve(tree, on: .unix) { $0.listeners = [.unixSocket(path: path)] }
        try await tree.kill("shop/acceptor")
        let again = try await client.observe()
        #expect(client.lastConnectionError == nil)
        #expect(again.snapshot.node(at: "shop/acceptor")?.incarnation == 2)
        try await client.kill("shop/acceptor")
        var events = again.events.makeAsyncIterator()
        #expect(await events.next(where: { $0.isStarted("shop/acceptor", incarnation: 3) }) != nil)
        await client.close()
        await second.stop()
    }

    @Test("a request in flight when the connection drops fails with connectionLost or the server's reason")
    func inFlightFailure() async throws {
        let gate = WorkerScript(ignoresCancellation: true)
        let spec = SupervisorSpec("slow") {
            ChildSpec.worker("stuck", shutdown: .infinity) { gate.makeWorker() }
        }
        let served = try await ServedTree.start(spec, on: .tcp)
        let client = served.client()
        try await client.connect()
        // `terminate` waits for the worker, which waits for the script: the request stays in flight.
        async let terminated: Void = client.terminate("slow/stuck")
        _ = await served.log.first { $0.metadata["remote.op"] == "terminate" }
        await served.stopServer()
        do {
            try await terminated
            Issue.record("terminate succeeded")
        } catch let error as RemoteError {
            #expect([.serverStopping, .connectionLost].contains(error.code), "\(error)")
        }
        gate.exitNormally()
        await served.tree.shutdown()
    }

    @Test("a client that half-closes waits for its in-flight reply, and a stopping server does not wait for it")
    func halfClosedWithStuckRequest() async throws {
        let gate = WorkerScript(ignoresCancellation: true)
        let spec = SupervisorSpec("slow") {
            ChildSpec.worker("stuck", shutdown: .infinity) { gate.makeWorker() }
            ChildSpec.worker("quick") { IdleWorker() }
        }
        let served = try await ServedTree.start(spec, on: .unix)
        // A quick request answered after the client closed its side.
        let quick = try await served.greetedRaw()
        try await quick.send("{\"id\":1,\"op\":\"terminate\",\"path\":\"slow/quick\"}\n")
        quick.finishSending()
        #expect(try await quick.readToEnd() == ["{\"id\":1,\"result\":{}}"])
        // A stuck one: the connection waits for it until the server stops.
        let stuck = try await served.greetedRaw()
        try await stuck.send("{\"id\":2,\"op\":\"terminate\",\"path\":\"slow/stuck\"}\n")
        stuck.finishSending()
        _ = await served.log.first { $0.metadata["remote.path"] == "slow/stuck" }
        await served.stopServer()
        let lines = try await stuck.readToEnd()
        #expect(lines.last?.contains("serverStopping") == true, "\(lines)")
        gate.exitNormally()
        await served.tree.shutdown()
    }

    @Test("dropping an observation's iterator unsubscribes; a closed client refuses calls")
    func unsubscribeAndClose() async throws {
        let served = try await ServedTree.start(on: .unix)
        let client = served.client()
        do {
            let observation = try await client.observe()
            var iterator = observation.events.makeAsyncIterator()
            try await served.tree.kill("shop/acceptor")
            #expect(await iterator.next() != nil)
        }
        // The unsubscribe is fire-and-forget; a later request on the same connection orders after it.
        try await client.ping()
        await client.close()
        await expectRemoteError(.closed) { try await client.ping() }
        await served.stop()
    }
}
