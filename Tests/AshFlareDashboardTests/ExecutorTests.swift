import AshFlare
import AshFlareDashboard
import AshFlareTestKit
import Synchronization
import Testing

/// Collects what a feed posts.
final class CollectingSink: FeedSink {
    private let updates = Locked<[FeedUpdate]>([])
    private let waiters = Locked<[(predicate: @Sendable (FeedUpdate) -> Bool, continuation: CheckedContinuation<Void, Never>)]>([])

    func post(_ update: FeedUpdate) { record(update) }
    func post(event: SupervisorEvent, node: Int) { record(.events(node: node, [event])) }

    private func record(_ update: FeedUpdate) {
        updates.withLock { $0.append(update) }
        let ready = waiters.withLock { waiters in
            let ready = waiters.filter { $0.predicate(update) }
            waiters.removeAll { $0.predicate(update) }
            return ready
        }
        ready.forEach { $0.continuation.resume() }
    }

    /// Waits until an update matching `predicate` arrives (or has arrived).
    func wait(for predicate: @escaping @Sendable (FeedUpdate) -> Bool) async {
        await withCheckedContinuation { continuation in
            let seen = updates.withLock { updates in
                if updates.contains(where: predicate) { return true }
                waiters.withLock { $0.append((predicate, continuation)) }
                return false
            }
            if seen { continuation.resume() }
        }
    }

    var all: [FeedUpdate] { updates.withLock { $0 } }
}

@Suite("Control through SupervisionControl: executor and feed", .timeLimit(.minutes(1)))
struct ExecutorTests {
    func tree() async throws -> SupervisorHandle {
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("w", backoff: .none) { IdleWorker() }
        }.withTemplates([WorkerTemplate("idle") { .worker($0.id) { IdleWorker() } }])
        return try await SupervisorHandle.start(spec, clock: ManualClock())
    }

    @Test("a kill bound to the current incarnation kills; the child comes back as the next incarnation")
    func kill() async throws {
        let tree = try await tree()
        var events = tree.events().makeAsyncIterator()
        let request = ControlRequest(id: 1, node: 0, action: .kill, target: "root/w", incarnation: 1)
        let result = await ControlExecutor.perform(request, on: tree)
        #expect(result.succeeded)
        #expect(result.message == "killed root/w (#1)")
        _ = await events.next(where: { $0.isStarted("root/w", incarnation: 2) })
        await tree.shutdown()
    }

    @Test("a request for an incarnation that has ended is refused and does not touch the new one")
    func staleIncarnation() async throws {
        let tree = try await tree()
        var events = tree.events().makeAsyncIterator()
        let seen = try #require(tree.snapshot().node(at: "root/w")).execution
        try await tree.kill("root/w")
        _ = await events.next(where: { $0.isStarted("root/w", incarnation: 2) })
        let result = await ControlExecutor.perform(
            ControlRequest(id: 1, node: 0, action: .kill, target: "root/w", incarnation: 1, execution: seen), on: tree)
        #expect(!result.succeeded)
        #expect(result.message == "root/w restarted since you asked: not killed (you saw #1); press the key again")
        #expect(try tree.whichChildren(of: "root").first?.incarnation == 2)
        await tree.shutdown()
    }

    @Test("errors from the tree come back as readable results; templates, bounce and shutdown work")
    func otherActions() async throws {
        let tree = try await tree()
        let delete = await ControlExecutor.perform(ControlRequest(id: 1, node: 0, action: .delete, target: "root/w", incarnation: 1), on: tree)
        #expect(!delete.succeeded)
        #expect(delete.message.contains("childRunning"))
        let add = await ControlExecutor.perform(
            ControlRequest(id: 2, node: 0, action: .startChild(template: "idle", arguments: []), target: "root", incarnation: 1), on: tree)
        #expect(add.message == "added root/idle-1 from template idle")
        let bounce = await ControlExecutor.perform(ControlRequest(id: 3, node: 0, action: .bounce, target: "root/w", incarnation: 1), on: tree)
        #expect(bounce.succeeded)
        #expect(try tree.whichChildren(of: "root").first?.incarnation == 2)
        let shutdown = await ControlExecutor.perform(ControlRequest(id: 4, node: 0, action: .shutdown, target: "root", incarnation: 1), on: tree)
        #expect(shutdown.succeeded)
        #expect(tree.snapshot().root.state == .stopped)
    }

    @Test("a feed posts the snapshot and events, answers snapshot requests, and reports the tree stopping")
    func feed() async throws {
        let tree = try await tree()
        let sink = CollectingSink()
        let feed = NodeFeed(node: DashboardNode(name: "t", control: tree), index: 0, sink: sink)
        let running = Task { await feed.run() }
        await sink.wait { if case .snapshot = $0 { true } else { false } }
        let result = await feed.perform(ControlRequest(id: 1, node: 0, action: .kill, target: "root/w", incarnation: 1))
        #expect(result.succeeded)
        await sink.wait { update in
            guard case .events(_, let events) = update else { return false }
            return events.contains { $0.kind.isStarted("root/w", incarnation: 2) }
        }
        var state = DashboardState(names: ["t"])
        for update in sink.all { state.apply(update) }
        #expect(state.nodes[0].model.node(at: "root/w")?.incarnation == 2)
        await tree.shutdown()
        await sink.wait { if case .treeStopped = $0 { true } else { false } }
        running.cancel()
        await running.value
    }

    @Test("a node that cannot be reached is reported as disconnected and retried")
    func disconnected() async throws {
        struct Refused: Error, CustomStringConvertible { var description: String { "connection refused" } }
        let attempts = Atomic<Int>(0)
        let node = DashboardNode(name: "far") {
            attempts.add(1, ordering: .relaxed)
            throw Refused()
        }
        let sink = CollectingSink()
        let feed = NodeFeed(node: node, index: 0, sink: sink, retryDelays: (.milliseconds(1), .milliseconds(2)))
        let running = Task { await feed.run() }
        await sink.wait { if case .disconnected(_, "connection refused") = $0 { true } else { false } }
        while attempts.load(ordering: .relaxed) < 3 { await Task.yield() }
        running.cancel()
        await running.value
        let frame = await HeadlessFrame.render(nodes: [node], width: 80, height: 12)
        #expect(frame.contains("disconnected"))
    }
}
