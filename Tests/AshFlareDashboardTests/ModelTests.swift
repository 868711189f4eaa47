import AshFlare
import AshFlareDashboard
import AshFlareTestKit
import Testing

/// A model that follows a real tree: events applied as they come, a fresh snapshot when the
/// model asks for one (counted), compared with a fresh snapshot at the same sequence number.
struct Follower {
    let tree: SupervisorHandle
    var model: TreeModel
    var events: SupervisorEvents.Iterator
    var resyncs = 0

    init(_ tree: SupervisorHandle) {
        self.tree = tree
        let observation = tree.observe()
        model = TreeModel(observation.snapshot)
        events = observation.events.makeAsyncIterator()
    }

    /// Applies events until one matches `predicate`.
    mutating func apply(until predicate: (SupervisorEvent.Kind) -> Bool) async {
        while let event = await events.next() {
            model.apply(event)
            if predicate(event.kind) { return }
        }
    }

    /// Catches up with a quiescent tree and expects the model to equal a fresh snapshot.
    mutating func expectInSync(sourceLocation: SourceLocation = #_sourceLocation) async {
        while true {
            let snapshot = tree.snapshot()
            while model.sequence < snapshot.sequence, let event = await events.next() { model.apply(event) }
            if model.needsResync {
                model.load(tree.snapshot())
                resyncs += 1
                continue
            }
            guard model.sequence == snapshot.sequence else { continue }
            #expect(model.snapshotRoot(at: snapshot.time) == snapshot.root, sourceLocation: sourceLocation)
            return
        }
    }
}

@Suite("Model: events keep it equal to a fresh snapshot", .timeLimit(.minutes(1)))
struct ModelTests {
    @Test("kill, crash, restart rounds of every strategy and backoff need no snapshot")
    func strategiesAndBackoff() async throws {
        let clock = ManualClock()
        let a = WorkerScript(), b = WorkerScript(), c = WorkerScript(), d = WorkerScript(), e = WorkerScript()
        let spec = SupervisorSpec("root", intensity: RestartIntensity(maxRestarts: 100, within: .seconds(60))) {
            ChildSpec.worker("a", backoff: .none) { a.makeWorker() }
            ChildSpec.worker("b", backoff: .exponential(initial: .seconds(1), maximum: .seconds(4))) { b.makeWorker() }
            SupervisorSpec("rest", strategy: .restForOne, intensity: RestartIntensity(maxRestarts: 100, within: .seconds(60))) {
                ChildSpec.worker("c", backoff: .none) { c.makeWorker() }
                ChildSpec.worker("d", backoff: .none) { d.makeWorker() }
            }
            SupervisorSpec("all", strategy: .oneForAll, intensity: RestartIntensity(maxRestarts: 100, within: .seconds(60))) {
                ChildSpec.worker("e", backoff: .exponential(initial: .seconds(2), maximum: .seconds(2))) { e.makeWorker() }
                ChildSpec.worker("f", backoff: .none) { IdleWorker() }
            }
        }
        let tree = try await SupervisorHandle.start(spec, clock: clock)
        var follower = Follower(tree)

        try await tree.kill("root/a")
        await follower.apply(until: { $0.isStarted("root/a", incarnation: 2) })
        await follower.expectInSync()

        clock.advance(by: .seconds(3))
        b.crash("disk full")
        await follower.apply(until: { if case .restartScheduled(path: "root/b", _) = $0 { true } else { false } })
        await follower.expectInSync()
        #expect(follower.model.node(at: "root/b")?.state == .backingOff(until: .seconds(4)))
        clock.advance(by: .seconds(1))
        await follower.apply(until: { $0.isStarted("root/b", incarnation: 2) })
        await follower.expectInSync()

        c.crash()
        await follower.apply(until: { $0.isStarted("root/rest/d", incarnation: 2) })
        await follower.expectInSync()

        e.crash()
        await follower.apply(until: { $0.isExited("root/all/f") })
        _ = try? await tree.delete("root/all/f")  // a barrier: answered after the round was carried out
        await follower.expectInSync()
        #expect(follower.model.node(at: "root/all/f")?.state == .backingOff(until: .seconds(6)))
        clock.advance(by: .seconds(2))
        await follower.apply(until: { $0.isStarted("root/all/f", incarnation: 2) })
        await follower.expectInSync()

        #expect(follower.resyncs == 0)
        #expect(follower.model.node(at: "root")?.supervisor?.recentRestarts.count == 2)
        await tree.shutdown()
    }

    @Test("temporary and transient exits, terminate, restart and delete follow from events")
    func policiesAndAdmin() async throws {
        let temp = WorkerScript(), trans = WorkerScript()
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("temp", restart: .temporary, backoff: .none) { temp.makeWorker() }
            ChildSpec.worker("trans", restart: .transient, backoff: .none) { trans.makeWorker() }
            ChildSpec.worker("idle", backoff: .none) { IdleWorker() }
        }
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock())
        var follower = Follower(tree)
        temp.crash()
        await follower.apply(until: { $0 == .childRemoved(path: "root/temp") })
        await follower.expectInSync()
        trans.exitNormally()
        await follower.apply(until: { $0.isExited("root/trans") })
        await follower.expectInSync()
        try await tree.terminate("root/idle")
        await follower.expectInSync()
        try await tree.restart("root/idle")
        await follower.expectInSync()
        try await tree.terminate("root/idle")
        try await tree.delete("root/idle")
        await follower.expectInSync()
        #expect(follower.model.node(at: "root/idle") == nil)
        #expect(follower.resyncs == 0)
        await tree.shutdown()
    }

    @Test("escalation, a restarted supervisor and children added at runtime are followed from events alone (childAdded carries the node)")
    func structuralChanges() async throws {
        let flaky = WorkerScript()
        let spec = SupervisorSpec("root", intensity: RestartIntensity(maxRestarts: 10, within: .seconds(60))) {
            SupervisorSpec("nested", intensity: RestartIntensity(maxRestarts: 1, within: .seconds(60))) {
                ChildSpec.worker("flaky", backoff: .none) { flaky.makeWorker() }
                ChildSpec.worker("steady") { IdleWorker() }
            }
        }.withTemplates([WorkerTemplate("idle") { .worker($0.id) { IdleWorker() } }])
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock())
        var follower = Follower(tree)
        flaky.crash()
        await follower.apply(until: { $0.isStarted("root/nested/flaky", incarnation: 2) })
        flaky.crash()
        await follower.apply(until: { $0.isStarted("root/nested", incarnation: 2) })
        await follower.expectInSync()
        #expect(follower.model.node(at: "root/nested")?.recentExits.last?.reason == .escalated)
        let path = try await tree.startChild(template: "idle", under: "root")
        await follower.expectInSync()
        #expect(follower.model.node(at: path)?.state == .running)
        #expect(follower.resyncs == 0)
        await tree.shutdown()
        await follower.apply(until: { $0.isExited("root") })
        #expect(follower.model.root?.state == .stopped)
        #expect(follower.model.root?.children.isEmpty == true)
    }

    @Test("a lagged event, a gap in the numbers or an unknown path asks for a snapshot; older events are skipped")
    func resyncTriggers() {
        var model = TreeModel(Fixture.shop())
        model.apply(SupervisorEvent(sequence: 400, time: .seconds(1), kind: .childExited(path: "shop/db", incarnation: 1, reason: .killed)))
        #expect(model.node(at: "shop/db")?.state == .running)
        #expect(!model.needsResync)
        model.apply(SupervisorEvent(sequence: 501, time: .seconds(100), kind: .lagged(missed: 3)))
        #expect(model.needsResync)
        model.load(Fixture.shop(sequence: 600))
        #expect(!model.needsResync)
        model.apply(SupervisorEvent(sequence: 603, time: .seconds(100), kind: .intensityChanged(supervisor: "shop", restarts: 1, maxRestarts: 10)))
        #expect(model.needsResync)
        model.load(Fixture.shop(sequence: 700))
        model.apply(SupervisorEvent(sequence: 701, time: .seconds(100), kind: .childStarted(path: "shop/ghost", incarnation: 1)))
        #expect(model.needsResync)
        #expect(model.load(Fixture.shop(sequence: 650)) == false)
    }
}

@Suite("RowList: the rows a frame reads")
struct RowListTests {
    @Test("the fast path (slots as rows) lists exactly the visible rows and the same selection")
    func sameRows() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/db/pool/pool-worker-1")
        let list = state.rowList()
        #expect(list.all == state.visibleRows())
        #expect(list.selectedIndex == state.selectedRowIndex(in: state.visibleRows()))
    }

    @Test("after a removal, a fold, a filter or a sort the rows are built and still equal the visible rows")
    func slowPaths() {
        var state = Fixture.state()
        state.apply(.events(node: 0, [SupervisorEvent(sequence: 501, time: .seconds(100), kind: .childRemoved(path: "shop/acceptors/acceptor-2"))]))
        #expect(state.nodes[0].model.deadSlots == 1)
        #expect(state.rowList().all == state.visibleRows())
        #expect(!state.rowList().all.contains { $0.id.path == "shop/acceptors/acceptor-2" })
        for keys in [[Key.character("C")], [.character("o")], [.character("/"), .character("d"), .character("b"), .enter]] {
            var changed = state
            Fixture.press(&changed, keys)
            #expect(changed.rowList().all == changed.visibleRows())
        }
    }
}

@Suite("Totals: the header's counts, kept current by the model")
struct TotalsTests {
    @Test("after exits, restarts, escalation, shutdown and removals the kept counts equal a fresh count")
    func keptEqualsCounted() {
        var state = Fixture.state()
        let kinds: [SupervisorEvent.Kind] = [
            .childExited(path: "shop/acceptors/acceptor-1", incarnation: 1, reason: .killed),
            .restartScheduled(path: "shop/acceptors/acceptor-1", delay: .seconds(1)),
            .childExited(path: "shop/db/pool/pool-worker-1", incarnation: 4, reason: .error("boom")),
            .childExited(path: "shop/db/pool", incarnation: 1, reason: .escalated),
            .shutdownBegan(supervisor: "shop/payments"),
            .childRemoved(path: "shop/cache-loader"),
            .childExited(path: "shop/legacy-bridge", incarnation: 1, reason: .abandoned),
            .childStarted(path: "shop/acceptors/acceptor-1", incarnation: 2),
        ]
        state.apply(.events(node: 0, kinds.enumerated().map { SupervisorEvent(sequence: 501 + UInt64($0), time: .seconds(100), kind: $1) }))
        let model = state.nodes[0].model
        let text = Renderer.render(state, width: 120, height: 36)[0].text
        var counted = (running: 0, stopped: 0, failed: 0, nodes: 0)
        for node in model.nodes where node.isLive {
            counted.nodes += 1
            if node.state == .stopped { counted.stopped += 1 }
            if node.state == .failed { counted.failed += 1 }
            if node.state.isActive { counted.running += 1 }
        }
        #expect(counted.nodes == 12)
        #expect(text.contains("● \(counted.running) up"))
        #expect(text.contains("○ \(counted.stopped) stopped"))
        #expect(text.contains("✗ \(counted.failed) failed"))
    }
}

@Suite("The event log: what is worth a line")
struct EventLogTests {
    static func added(_ path: ChildPath) -> NodeSnapshot {
        NodeSnapshot(
            id: path.id, path: path, type: .worker, state: .stopped, restartPolicy: .permanent, shutdown: .workerDefault,
            backoff: .none, incarnation: 0, restartCount: 0, lastExit: nil, lastExitAt: nil, startedAt: nil, supervisor: nil, children: [])
    }

    @Test("a restarting supervisor's spec children are added silently; a child added to a running supervisor gets a line")
    func addedLines() {
        var state = Fixture.state()
        let before = state.log.count
        let kinds: [(SupervisorEvent.Kind, NodeSnapshot?)] = [
            (.childExited(path: "shop/db/pool", incarnation: 1, reason: .killed), nil),
            (.restartScheduled(path: "shop/db/pool", delay: .zero), nil),
            (.childAdded(path: "shop/db/pool/pool-worker-1"), Self.added("shop/db/pool/pool-worker-1")),
            (.childStarted(path: "shop/db/pool/pool-worker-1", incarnation: 1), nil),
            (.childStarted(path: "shop/db/pool", incarnation: 2), nil),
            (.childAdded(path: "shop/db/pool/pool-worker-9"), Self.added("shop/db/pool/pool-worker-9")),
        ]
        state.apply(.events(node: 0, kinds.enumerated().map { index, pair in
            SupervisorEvent(sequence: 501 + UInt64(index), time: .seconds(100), kind: pair.0, node: pair.1)
        }))
        var added: [ChildPath] = []
        for offset in before..<state.log.count {
            if case .event(.childAdded(let path)) = state.log[offset].kind { added.append(path) }
        }
        #expect(added == ["shop/db/pool/pool-worker-9"])
        #expect(state.log.count - before == kinds.count - 1)
        #expect(state.nodes[0].model.node(at: "shop/db/pool/pool-worker-1")?.state == .running)
        #expect(state.nodes[0].model.needsResync == false)
    }
}
