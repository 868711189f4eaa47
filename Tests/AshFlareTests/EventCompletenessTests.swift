import AshFlare
import AshFlareTestKit
import Testing

/// Complete events: snapshot(N) with the events after N applied (``TreeSnapshot/apply(_:)``)
/// equals snapshot(M), over random operation sequences on a real tree.
@Suite("Events rebuild snapshots", .timeLimit(.minutes(2)))
struct EventCompletenessTests {
    static let job = WorkerTemplate("job", summary: "a job", parameters: []) { request in
        .worker(request.id, restart: .transient, backoff: .none) { IdleWorker() }
    }

    /// root (one-for-one) → db (rest-for-one, 2/5 s: pool, cache with backoff, scratch temporary),
    /// web (backoff), jobs (one-for-all, templates), each kind of policy and nesting.
    static func spec() -> SupervisorSpec {
        let idle: @Sendable (ChildID, RestartPolicy, Backoff) -> ChildSpec = { id, policy, backoff in
            .worker(id, restart: policy, backoff: backoff) { IdleWorker() }
        }
        let slow = Backoff(initial: .milliseconds(500), maximum: .seconds(2))
        return SupervisorSpec("root", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 6, within: .seconds(10)), children: [
            .supervisor(SupervisorSpec("db", strategy: .restForOne, intensity: RestartIntensity(maxRestarts: 2, within: .seconds(5)),
                                       children: [idle("pool", .permanent, .none), idle("cache", .transient, slow),
                                                  idle("scratch", .temporary, .none)])),
            idle("web", .permanent, slow),
            .supervisor(SupervisorSpec("jobs", strategy: .oneForAll, intensity: RestartIntensity(maxRestarts: 3, within: .seconds(5)),
                                       children: [idle("j", .permanent, .none)]).withTemplates([Self.job])),
        ])
    }

    @Test("random operations: the first snapshot plus every event equals each later snapshot", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomOperations(seed: UInt64) async throws {
        let clock = ManualClock()
        let tree = try await SupervisorHandle.start(Self.spec(), clock: clock, options: SupervisionOptions(random: .seeded(seed)))
        let observation = tree.observe(bufferSize: .max)
        var model = observation.snapshot
        var events = observation.events.makeAsyncIterator()
        var random = SeededRandom(state: seed)
        var compared = 0
        for step in 0..<200 {
            let current = tree.snapshot()
            let nodes = current.allNodes.filter { $0.path.parent != nil }
            let target = nodes.isEmpty ? "root/none" : nodes[Int(random.next() % UInt64(nodes.count))].path
            switch random.next() % 7 {
            case 0, 1: try? await tree.kill(target)
            case 2: try? await tree.terminate(target)
            case 3: try? await tree.restart(target)
            case 4: try? await tree.delete(target)
            case 5: _ = try? await tree.startChild(template: "job", under: "root/jobs")
            default: clock.advance(by: .milliseconds(Int64(random.next() % 3000)))
            }
            guard let quiet = await quiescent(tree) else {
                Issue.record("step \(step): the tree never settled")
                return
            }
            while model.sequence < quiet.sequence, let event = await events.next() { model.apply(event) }
            model.time = quiet.time
            let rebuilt = model.evented.root, taken = quiet.evented.root
            if rebuilt != taken {
                Issue.record("step \(step), seed \(seed): \(Self.difference(rebuilt, taken))")
                break
            }
            compared += 1
        }
        #expect(compared == 200)
        await tree.shutdown()
    }

    /// A snapshot once no node is starting or stopping (the passing states without events).
    private func quiescent(_ tree: SupervisorHandle) async -> TreeSnapshot? {
        for _ in 0..<100_000 {
            let snapshot = tree.snapshot()
            if snapshot.isQuiet { return snapshot }
            await Task.yield()
        }
        return nil
    }

    /// The first node whose fields differ, and how (for the failure message).
    static func difference(_ rebuilt: NodeSnapshot, _ taken: NodeSnapshot) -> String {
        if rebuilt.children.map(\.id) != taken.children.map(\.id) {
            return "\(rebuilt.path): children \(rebuilt.children.map(\.id)) from events, \(taken.children.map(\.id)) in the snapshot; "
                + "state \(rebuilt.state) / \(taken.state), incarnation \(rebuilt.incarnation) / \(taken.incarnation), last exit \(String(describing: rebuilt.lastExit)) / \(String(describing: taken.lastExit))"
        }
        for (a, b) in zip(rebuilt.children, taken.children) where a != b { return difference(a, b) }
        var mine = rebuilt, theirs = taken
        mine.children = []
        theirs.children = []
        return "\(rebuilt.path): from events \(mine)\n in the snapshot \(theirs)"
    }

}

