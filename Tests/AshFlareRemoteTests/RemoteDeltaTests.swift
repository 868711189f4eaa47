import AshFlare
import AshFlareDashboard
import AshFlareRemote
import AshFlareTestKit
import Testing

/// Applies what a ``NodeFeed`` posts to a ``DashboardState`` as the terminal does, and hands its
/// snapshot requests back to the feed.
final class ModelSink: FeedSink {
    private struct State {
        var dashboard = DashboardState(names: ["remote"])
        var snapshots = 0
        var waiters: [(id: Int, condition: @Sendable (DashboardState, Int) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
        var nextWaiter = 0
    }

    private let state = Locked(State())
    private let feed = Locked<NodeFeed?>(nil)

    func attach(_ feed: NodeFeed) { self.feed.withLock { $0 = feed } }

    func post(_ update: FeedUpdate) { apply(update) }
    func post(event: SupervisorEvent, node: Int) { apply(.events(node: node, [event])) }

    private func apply(_ update: FeedUpdate) {
        let (commands, ready) = state.withLock { state in
            if case .snapshot = update { state.snapshots += 1 }
            let commands = state.dashboard.apply(update)
            let (dashboard, snapshots) = (state.dashboard, state.snapshots)
            let ready = state.waiters.filter { $0.condition(dashboard, snapshots) }
            state.waiters.removeAll { $0.condition(dashboard, snapshots) }
            return (commands, ready)
        }
        for command in commands {
            if case .refresh = command { feed.withLock { $0 }?.requestSnapshot() }
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Full snapshots received so far.
    var snapshots: Int { state.withLock { $0.snapshots } }
    var model: TreeModel { state.withLock { $0.dashboard.nodes[0].model } }

    /// Waits until the dashboard state and the number of snapshots received satisfy `condition`,
    /// or the task is cancelled (a test's time limit: a model that never catches up fails the
    /// test instead of hanging the run).
    func wait(until condition: @escaping @Sendable (DashboardState, Int) -> Bool) async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if Task.isCancelled || condition(state.dashboard, state.snapshots) { return true }
                    state.waiters.append((id, condition, continuation))
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume()
        }
    }
}

@Suite("The dashboard follows a remote tree by events, not re-reads", .timeLimit(.minutes(2)))
struct RemoteDeltaTests {
    /// Nested supervisors of every strategy, workers of every policy, templates everywhere;
    /// no backoff and a generous intensity, so the tree settles at once under a still clock.
    static var spec: SupervisorSpec {
        let template = WorkerTemplate("extra") { .worker($0.id, restart: .transient, backoff: .none) { IdleWorker() } }
        let generous = RestartIntensity(maxRestarts: 100_000, within: .seconds(3600))
        return SupervisorSpec("r", intensity: generous) {
            for (index, strategy) in [RestartStrategy.oneForOne, .oneForAll, .restForOne].enumerated() {
                ChildSpec.supervisor(SupervisorSpec("s\(index)", strategy: strategy, intensity: generous) {
                    ChildSpec.worker("a", backoff: .none) { IdleWorker() }
                    ChildSpec.worker("b", restart: .transient, backoff: .none) { IdleWorker() }
                    ChildSpec.worker("c", restart: .temporary, backoff: .none) { IdleWorker() }
                    ChildSpec.supervisor(SupervisorSpec("n", intensity: generous) {
                        ChildSpec.worker("x", backoff: .none) { IdleWorker() }
                        ChildSpec.worker("y", restart: .transient, backoff: .none) { IdleWorker() }
                    }.withTemplates([template]), backoff: .none)
                }.withTemplates([template]), backoff: .none)
            }
        }
    }

    /// A node with the time-derived fields taken out (`startedAt`: events carry when a start
    /// finished, snapshots when it began) and process figures (never in events).
    static func normalised(_ node: NodeSnapshot) -> NodeSnapshot {
        var node = node
        node.startedAt = nil
        node.process = nil
        node.children = node.children.map(normalised)
        return node
    }

    /// One random operation through the remote client; the tree may refuse it.
    static func randomOperation(_ client: RemoteSupervisor, _ snapshot: TreeSnapshot, _ random: inout SeededRandom) async {
        let nodes = snapshot.allNodes.filter { $0.path.parent != nil }
        guard let node = nodes.randomElement(using: &random) else { return }
        do {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4: try await client.kill(node.path)
            case 4, 5: try await client.terminate(node.path, ifExecution: node.execution)
            case 6, 7: try await client.restart(node.path)
            case 8: try await client.delete(node.path)
            default:
                let supervisor = node.type == .supervisor ? node.path : node.path.parent!
                _ = try await client.startChild(template: "extra", arguments: [], under: supervisor)
            }
        } catch {}
    }

    @Test("after random operations the model built from events equals a fresh snapshot",
          arguments: [UInt64(1), 2, 3])
    func eventsRebuildTheSnapshot(_ seed: UInt64) async throws {
        let served = try await ServedTree.start(Self.spec, on: seed == 2 ? .tcp : .unix)
        let client = served.client()
        let sink = ModelSink()
        let feed = NodeFeed(node: DashboardNode(name: "remote", control: client), index: 0, sink: sink, clock: ManualClock())
        sink.attach(feed)
        let running = Task { await feed.run() }
        await sink.wait { state, _ in state.nodes[0].model.loaded }
        var random = SeededRandom(state: seed)
        var resyncs: [String] = []
        for round in 0..<8 {
            for _ in 0..<25 { await Self.randomOperation(client, served.tree.snapshot(), &random) }
            // The tree is still when no node is starting or stopping (a start in progress shows
            // its new incarnation before its event) and two snapshots in a row have the same sequence.
            var fresh = served.tree.snapshot()
            while true {
                try Task.checkCancellation()
                let sequence = fresh.sequence
                await sink.wait { state, _ in state.nodes[0].model.sequence >= sequence && !state.nodes[0].model.needsResync }
                let again = served.tree.snapshot()
                let settled = !again.allNodes.contains { $0.state == .starting || $0.state == .stopping }
                if settled && again.sequence == fresh.sequence { break }
                fresh = again
                await Task.yield()
            }
            let model = sink.model
            let rebuilt = try #require(model.snapshotRoot(at: fresh.time))
            #expect(Self.normalised(rebuilt) == Self.normalised(fresh.root), "seed \(seed), round \(round)")
            resyncs.append("\(sink.snapshots)")
        }
        // Only the first snapshot and those the model asked for (runtime additions, restarted
        // supervisors' children) were read; none on a timer.
        #expect(sink.snapshots < 8 * 25, "snapshots per round: \(resyncs)")
        running.cancel()
        await running.value
        await client.close()
        await served.stop()
    }

    @Test("an idle remote tree is never re-read on a timer; one with a context store is, slowly")
    func noPeriodicReRead() async throws {
        for withStore in [false, true] {
            let spec = SupervisorSpec("shop") { ChildSpec.worker("w", backoff: .none) { IdleWorker() } }
            let tree = try await SupervisorHandle.start(
                withStore ? spec.withContext(WorkerContext(["visits": .int(1)])) : spec, clock: ManualClock())
            let gated = GatedTree(tree)
            let served = try await ServedTree.serve(tree, on: .unix, serving: gated)
            let client = served.client()
            let clock = ManualClock()
            let sink = ModelSink()
            let feed = NodeFeed(node: DashboardNode(name: "remote", control: client), index: 0, sink: sink, slowRefresh: .seconds(10), clock: clock)
            sink.attach(feed)
            let running = Task { await feed.run() }
            await sink.wait { state, _ in state.nodes[0].model.loaded }
            gated.close()
            gated.open()
            // The feed's only sleeper on this clock is its slow refresh; a re-read it decides on
            // is posted before it sleeps again, so after each tick the count is final.
            await clock.waitForSleepers(atLeast: 1)
            for _ in 0..<6 {
                clock.advance(by: .seconds(10))
                await clock.waitForSleepers(atLeast: 1)
            }
            if withStore {
                #expect(sink.snapshots == 7, "a tree whose snapshot shows a context store is re-read every 10 s")
                #expect(gated.entered == 6)
            } else {
                #expect(sink.snapshots == 1, "only the subscription's snapshot; no tick re-read the tree")
                #expect(gated.entered == 0)
            }
            running.cancel()
            await running.value
            await client.close()
            await served.stop()
        }
    }

    @Test("snapshot-only fields: process figures and context stores; nothing else")
    func snapshotOnlyFields() {
        let plain = TreeSnapshot(sequence: 1, time: .zero, root: NodeSnapshot(
            id: "r", path: "r", type: .supervisor, state: .running, restartPolicy: .permanent, shutdown: .infinity, backoff: .none,
            incarnation: 1, restartCount: 0, lastExit: nil, lastExitAt: nil, startedAt: .zero,
            supervisor: SupervisorDetails(strategy: .oneForOne, intensity: .default, recentRestarts: []), children: []))
        #expect(!NodeFeed.snapshotOnlyFields(plain))
        var store = plain
        store.root.supervisor?.context = [:]
        #expect(NodeFeed.snapshotOnlyFields(store))
        var process = plain
        var child = plain.root
        child.supervisor = nil
        child.process = ProcessDetails(pid: 7, cpuPercent: nil, residentBytes: nil)
        process.root.children = [child]
        #expect(NodeFeed.snapshotOnlyFields(process))
    }
}
