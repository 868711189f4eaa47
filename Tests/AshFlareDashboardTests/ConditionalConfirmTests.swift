import AshFlare
import AshFlareDashboard
import AshFlareTestKit
import Testing

/// A ``SupervisionControl`` over a real tree that records which calls reach it.
final class RecordingControl: SupervisionControl {
    let tree: SupervisorHandle
    private let log = Locked<[String]>([])

    init(_ tree: SupervisorHandle) { self.tree = tree }

    /// The calls so far, e.g. `kill(root/w, ifExecution: 3)`.
    var calls: [String] { log.withLock { $0 } }
    func reset() { log.withLock { $0.removeAll() } }
    private func note(_ call: String) { log.withLock { $0.append(call) } }

    func snapshot() async throws -> TreeSnapshot {
        note("snapshot")
        return tree.snapshot()
    }
    func observe() async throws -> TreeObservation { tree.observe() }
    func whichChildren(of path: ChildPath) async throws -> [ChildInfo] {
        note("whichChildren(\(path))")
        return try tree.whichChildren(of: path)
    }
    func countChildren(of path: ChildPath) async throws -> ChildCounts { try tree.countChildren(of: path) }
    func startChild(template: String, arguments: [String], under supervisor: ChildPath) async throws -> ChildPath {
        note("startChild(\(template))")
        return try await tree.startChild(template: template, arguments: arguments, under: supervisor)
    }
    func kill(_ path: ChildPath) async throws {
        note("kill(\(path))")
        try await tree.kill(path)
    }
    func terminate(_ path: ChildPath) async throws {
        note("terminate(\(path))")
        try await tree.terminate(path)
    }
    func restart(_ path: ChildPath) async throws {
        note("restart(\(path))")
        try await tree.restart(path)
    }
    func delete(_ path: ChildPath) async throws {
        note("delete(\(path))")
        try await tree.delete(path)
    }
    func kill(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        note("kill(\(path), ifExecution: \(execution))")
        try await tree.kill(path, ifExecution: execution)
    }
    func terminate(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        note("terminate(\(path), ifExecution: \(execution))")
        try await tree.terminate(path, ifExecution: execution)
    }
    func restart(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        note("restart(\(path), ifExecution: \(execution))")
        try await tree.restart(path, ifExecution: execution)
    }
    func delete(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        note("delete(\(path), ifExecution: \(execution))")
        try await tree.delete(path, ifExecution: execution)
    }
    func shutdown() async throws {
        note("shutdown")
        await tree.shutdown()
    }
    func logTail(of path: ChildPath, scope: LogScope, limit: Int?) async throws -> LogTail {
        try tree.logTail(of: path, scope: scope, limit: limit)
    }
    func followLog(of path: ChildPath, backlog: Int) async throws -> ChildLogLines { try tree.followLog(of: path, backlog: backlog) }
}

@Suite("Confirmations send one conditional request on the execution the user saw", .timeLimit(.minutes(1)))
struct ConditionalConfirmTests {
    /// Events that restart `path` as incarnation `incarnation`, execution `execution`.
    static func restart(_ path: ChildPath, incarnation: UInt64, execution: UInt64, from sequence: UInt64) -> [SupervisorEvent] {
        [
            SupervisorEvent(sequence: sequence, time: .seconds(100), kind: .childExited(path: path, incarnation: incarnation - 1, reason: .killed),
                            execution: execution - 1),
            SupervisorEvent(sequence: sequence + 1, time: .seconds(100), kind: .restartScheduled(path: path, delay: .zero)),
            SupervisorEvent(sequence: sequence + 2, time: .seconds(100), kind: .childStarted(path: path, incarnation: incarnation),
                            execution: execution),
        ]
    }

    static func requests(_ commands: [DashboardCommand]) -> [ControlRequest] {
        commands.compactMap { if case .perform(let request) = $0 { request } else { nil } }
    }

    @Test("the confirm remembers the execution shown when x was pressed, though the node restarts before y", arguments: ["x", "t"])
    func singleRemembersExecution(_ key: Character) throws {
        var state = Fixture.state()
        state.apply(.events(node: 0, Self.restart("shop/db/pool/pool-worker-1", incarnation: 5, execution: 42, from: 501)))
        Fixture.select(&state, "shop/db/pool/pool-worker-1")
        #expect(Fixture.press(&state, [.character(key)]).isEmpty)
        state.apply(.events(node: 0, Self.restart("shop/db/pool/pool-worker-1", incarnation: 6, execution: 77, from: 504)))
        #expect(state.nodes[0].model.node(at: "shop/db/pool/pool-worker-1")?.execution == 77)
        let request = try #require(Self.requests(Fixture.press(&state, [.character("y")])).first)
        #expect(request.execution == 42)
        #expect(request.incarnation == 5)
    }

    @Test("a bulk kill remembers each marked node's execution as shown when x was pressed")
    func bulkRemembersExecutions() {
        var state = Fixture.state()
        state.apply(.events(node: 0, Self.restart("shop/acceptors/acceptor-1", incarnation: 2, execution: 50, from: 501)
            + Self.restart("shop/db/pool/pool-worker-1", incarnation: 5, execution: 60, from: 504)))
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        Fixture.press(&state, [.character(" ")])
        Fixture.select(&state, "shop/db/pool/pool-worker-1")
        Fixture.press(&state, [.character(" ")])
        Fixture.press(&state, [.character("x")])
        state.apply(.events(node: 0, Self.restart("shop/acceptors/acceptor-1", incarnation: 3, execution: 90, from: 507)))
        let requests = Self.requests(Fixture.press(&state, [.character("y")]))
        #expect(requests.map(\.target) == ["shop/acceptors/acceptor-1", "shop/db/pool/pool-worker-1"])
        #expect(requests.map(\.execution) == [50, 60])
    }

    func tree() async throws -> SupervisorHandle {
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("w", backoff: .none) { IdleWorker() }
            SupervisorSpec("sub") { ChildSpec.worker("v", backoff: .none) { IdleWorker() } }
        }
        return try await SupervisorHandle.start(spec, clock: ManualClock())
    }

    @Test("a kill goes out as one conditional call, with no look-up before it")
    func oneRequest() async throws {
        let tree = try await tree()
        let control = RecordingControl(tree)
        let seen = try #require(tree.snapshot().node(at: "root/w")).execution
        let request = ControlRequest(id: 1, node: 0, action: .kill, target: "root/w", incarnation: 1, execution: seen)
        let result = await ControlExecutor.perform(request, on: control)
        #expect(result.succeeded, "\(result.message)")
        #expect(control.calls == ["kill(root/w, ifExecution: \(seen))"])
        await tree.shutdown()
    }

    @Test("a stale confirm is refused by the tree with a clear message; the new execution is untouched")
    func staleIsRefused() async throws {
        let tree = try await tree()
        let control = RecordingControl(tree)
        var events = tree.events().makeAsyncIterator()
        let seen = try #require(tree.snapshot().node(at: "root/w")).execution
        try await tree.kill("root/w")
        _ = await events.next(where: { $0.isStarted("root/w", incarnation: 2) })
        for action in [ControlAction.kill, .terminate, .bounce] {
            control.reset()
            let request = ControlRequest(id: 1, node: 0, action: action, target: "root/w", incarnation: 1, execution: seen)
            let result = await ControlExecutor.perform(request, on: control)
            #expect(!result.succeeded)
            #expect(result.message == "root/w restarted since you asked: not \(action.pastTense) (you saw #1); press the key again")
            let sent = action == .kill ? "kill" : "terminate"
            #expect(control.calls == ["\(sent)(root/w, ifExecution: \(seen))"], "one conditional call, no look-up")
        }
        let now = try #require(tree.snapshot().node(at: "root/w"))
        #expect(now.state == .running && now.incarnation == 2 && now.execution != seen)
        await tree.shutdown()
    }

    @Test("terminate, restart, bounce, delete and a subtree shutdown each use the conditional form")
    func everyActionIsConditional() async throws {
        let tree = try await tree()
        let control = RecordingControl(tree)
        func perform(_ action: ControlAction, _ path: ChildPath) async throws -> ControlResult {
            let node = try #require(tree.snapshot().node(at: path))
            return await ControlExecutor.perform(
                ControlRequest(id: 1, node: 0, action: action, target: path, incarnation: node.incarnation, execution: node.execution),
                on: control)
        }
        let w = try #require(tree.snapshot().node(at: "root/w")).execution
        #expect(try await perform(.bounce, "root/w").succeeded)
        #expect(control.calls == ["terminate(root/w, ifExecution: \(w))", "restart(root/w, ifExecution: \(w))"])
        let w2 = try #require(tree.snapshot().node(at: "root/w")).execution
        control.reset()
        #expect(try await perform(.terminate, "root/w").succeeded)
        #expect(try await perform(.restart, "root/w").succeeded)
        #expect(control.calls == ["terminate(root/w, ifExecution: \(w2))", "restart(root/w, ifExecution: \(w2))"])
        let w3 = try #require(tree.snapshot().node(at: "root/w")).execution
        control.reset()
        #expect(try await perform(.terminate, "root/w").succeeded)
        #expect(try await perform(.delete, "root/w").succeeded)
        #expect(control.calls == ["terminate(root/w, ifExecution: \(w3))", "delete(root/w, ifExecution: \(w3))"])
        let sub = try #require(tree.snapshot().node(at: "root/sub")).execution
        control.reset()
        #expect(try await perform(.shutdown, "root/sub").succeeded)
        #expect(control.calls == ["terminate(root/sub, ifExecution: \(sub))"])
        await tree.shutdown()
    }
}
