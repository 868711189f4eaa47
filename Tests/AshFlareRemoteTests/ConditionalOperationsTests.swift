import AshFlare
import AshFlareDashboard
import AshFlareRemote
import AshFlareTestKit
import Testing

/// `ifExecution` on kill/terminate/restart/delete, over real sockets: one request, checked by the
/// tree, `staleExecution` when the node restarted in between.
@Suite("Conditional operations over the wire", .timeLimit(.minutes(1)))
struct ConditionalOperationsTests {
    /// The error code and message of an error line.
    func error(_ line: String?) throws -> (code: String, message: String) {
        let line = try #require(line)
        let code = try #require(line.firstMatch(of: /"code":"(\w+)"/)?.1)
        let message = try #require(line.firstMatch(of: /"message":"([^"]*)"/)?.1)
        return (String(code), String(message))
    }

    func execution(_ tree: SupervisorHandle, _ path: ChildPath) throws -> UInt64 {
        try #require(tree.snapshot().node(at: path)).execution
    }

    @Test("a conditional kill of the execution seen kills; of an ended one is refused with staleExecution, the new one untouched",
          arguments: Transport.allCases)
    func kill(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client()
        var events = try await client.observe().events.makeAsyncIterator()
        let seen = try execution(served.tree, "shop/db/pool")
        try await client.kill("shop/db/pool", ifExecution: seen)
        let restarted = await events.next(where: { $0.isStarted("shop/db/pool", incarnation: 2) })
        let current = try execution(served.tree, "shop/db/pool")
        #expect(current != seen)
        #expect(restarted?.execution == current)

        await expectSupervisorError(.staleExecution) { try await client.kill("shop/db/pool", ifExecution: seen) }
        await expectSupervisorError(.staleExecution) { try await client.terminate("shop/db/pool", ifExecution: seen) }
        let node = try #require(served.tree.snapshot().node(at: "shop/db/pool"))
        #expect(node.state == .running && node.execution == current && node.incarnation == 2, "the new execution was not touched")
        await client.close()
        await served.stop()
    }

    @Test("terminate, restart and delete check the execution; a stopped child's last execution names it", arguments: Transport.allCases)
    func terminateRestartDelete(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client()
        let first = try execution(served.tree, "shop/db/pool")
        try await client.terminate("shop/db/pool", ifExecution: first)
        #expect(served.tree.snapshot().node(at: "shop/db/pool")?.state == .stopped)
        await expectSupervisorError(.staleExecution) { try await client.restart("shop/db/pool", ifExecution: first + 1000) }
        try await client.restart("shop/db/pool", ifExecution: first)
        let second = try execution(served.tree, "shop/db/pool")
        #expect(second != first)
        try await client.terminate("shop/db/pool", ifExecution: second)
        await expectSupervisorError(.staleExecution) { try await client.delete("shop/db/pool", ifExecution: first) }
        #expect(served.tree.snapshot().node(at: "shop/db/pool") != nil, "a stale delete removes nothing")
        try await client.delete("shop/db/pool", ifExecution: second)
        #expect(try served.tree.whichChildren(of: "shop/db").map(\.id) == ["conn"])
        await client.close()
        await served.stop()
    }

    @Test("on the wire: the field re-encodes exactly and a stale id gets a staleExecution error reply", arguments: Transport.allCases)
    func rawStale(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let raw = try await served.greetedRaw(version: 2)
        let seen = try execution(served.tree, "shop/db/pool")
        try await raw.send("{\"id\":2,\"op\":\"kill\",\"path\":\"shop/db/pool\",\"ifExecution\":\(seen + 7)}\n")
        let refused = try error(try await raw.readLine())
        #expect(refused.code == "staleExecution")
        #expect(refused.message.contains("not \(seen + 7)"), "\(refused.message)")
        #expect(served.tree.snapshot().node(at: "shop/db/pool")?.execution == seen, "nothing was killed")
        try await raw.send("{\"id\":3,\"op\":\"kill\",\"path\":\"shop/db/pool\",\"ifExecution\":\(seen)}\n")
        #expect(try await raw.readLine() == "{\"id\":3,\"result\":{}}")
        let audits = served.log.records.filter { $0.message == "control request" }
        #expect(audits.map { $0.metadata["remote.ifExecution"] } == ["\(seen + 7)", "\(seen)"], "the audit log names the condition")
        await served.stop()
    }

    @Test("hostile ifExecution values get badRequest naming the field; nothing is killed",
          arguments: [
            ("-1", "field 'ifExecution' must be a non-negative integer (was negative)"),
            ("1.5", "field 'ifExecution' must be a non-negative integer (was a fraction)"),
            ("1e3", "field 'ifExecution' must be a non-negative integer (was a fraction)"),
            ("\"5\"", "field 'ifExecution' must be a non-negative integer (was a string)"),
            ("null", "field 'ifExecution' must be a non-negative integer (was null)"),
            ("18446744073709551616", "field 'ifExecution' is out of range"),
            ("99999999999999999999999999999", "field 'ifExecution' is out of range"),
          ])
    func hostile(_ value: String, _ message: String) async throws {
        let served = try await ServedTree.start(on: .unix)
        let before = served.tree.snapshot().root
        let raw = try await served.greetedRaw(version: 2)
        try await raw.send("{\"id\":2,\"op\":\"kill\",\"path\":\"shop/db/pool\",\"ifExecution\":\(value)}\n")
        let refused = try error(try await raw.readLine())
        #expect(refused.code == "badRequest")
        #expect(refused.message == message)
        try await raw.send("{\"id\":3,\"op\":\"ping\"}\n")
        #expect(try await raw.readLine() == "{\"id\":3,\"result\":{}}", "the connection stays open")
        #expect(served.tree.snapshot().root == before, "nothing was killed")
        await served.stop()
    }

    @Test("the dashboard's executor over a remote tree: the execution seen is killed; a stale confirm is refused, clearly",
          arguments: Transport.allCases)
    func dashboardExecutor(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client()
        var events = served.tree.events().makeAsyncIterator()
        let seen = try execution(served.tree, "shop/db/pool")
        let request = ControlRequest(id: 1, node: 0, action: .kill, target: "shop/db/pool", incarnation: 1, execution: seen)
        let killed = await ControlExecutor.perform(request, on: client)
        #expect(killed.succeeded, "\(killed.message)")
        #expect(await events.next(where: { $0.isStarted("shop/db/pool", incarnation: 2) }) != nil)
        for action in [ControlAction.kill, .terminate, .bounce] {
            var stale = request
            stale.action = action
            let refused = await ControlExecutor.perform(stale, on: client)
            #expect(!refused.succeeded)
            #expect(refused.message == "shop/db/pool restarted since you asked: not \(action.pastTense) (you saw #1); press the key again")
        }
        #expect(served.tree.snapshot().node(at: "shop/db/pool")?.state == .running, "the new execution was not touched")
        await client.close()
        await served.stop()
    }

    @Test("a RemoteSupervisor sends no conditional operation to a v1-only server: unsupportedVersion, nothing sent")
    func clientRefusesV1Server() async throws {
        let old = try await OldServer.start()
        let client = RemoteSupervisor(endpoint: .unixSocket(path: old.path))
        #expect(try await client.connect().version == 1)
        await expectRemoteError(.unsupportedVersion) { try await client.kill("shop/db/pool", ifExecution: 5) }
        await expectRemoteError(.unsupportedVersion) { try await client.terminate("shop/db/pool", ifExecution: 5) }
        await expectRemoteError(.unsupportedVersion) { try await client.restart("shop/db/pool", ifExecution: 5) }
        await expectRemoteError(.unsupportedVersion) { try await client.delete("shop/db/pool", ifExecution: 5) }
        try await client.ping()
        // The ping's reply came back, so every frame sent before it has arrived.
        #expect(old.received.count == 2, "hello and ping only: \(old.received)")
        #expect(!old.received.contains { $0.contains("ifExecution") || $0.contains("\"op\":\"kill\"") })
        await client.close()
        await old.stop()
    }

    @Test("v2 refuses ifExecution on an op that does not take it; v1 refuses it everywhere rather than drop the condition",
          arguments: Transport.allCases)
    func versions(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let before = served.tree.snapshot().root
        let v2 = try await served.greetedRaw(version: 2)
        try await v2.send("{\"id\":2,\"op\":\"whichChildren\",\"path\":\"shop/db\",\"ifExecution\":3}\n")
        let refused = try error(try await v2.readLine())
        #expect(refused.code == "badRequest")
        #expect(refused.message == "the 'whichChildren' request does not take the field 'ifExecution'; it takes id, op, path")
        let v1 = try await served.greetedRaw(version: 1)
        let seen = try execution(served.tree, "shop/db/pool")
        for op in ["kill", "terminate", "restart", "delete"] {
            try await v1.send("{\"id\":2,\"op\":\"\(op)\",\"path\":\"shop/db/pool\",\"ifExecution\":\(seen)}\n")
            let v1Refused = try error(try await v1.readLine())
            #expect(v1Refused.code == "badRequest", "\(op)")
            #expect(v1Refused.message
                == "field 'ifExecution' needs protocol version 2; this connection speaks version 1 (say hello with version 2)")
        }
        try await v1.send("{\"id\":3,\"op\":\"ping\",\"extra\":1}\n")
        #expect(try await v1.readLine() == "{\"id\":3,\"result\":{}}", "other unknown fields are still ignored by v1")
        #expect(served.tree.snapshot().root == before, "nothing was killed")
        await served.stop()
    }
}
