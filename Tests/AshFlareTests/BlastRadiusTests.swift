import AshFlare
import AshFlareTestKit
import Testing

/// ``BlastRadius``: a preview from a snapshot must say exactly what the engine then does.
@Suite("Blast radius", .timeLimit(.minutes(1)))
struct BlastRadiusTests {
    /// root (one-for-one, 3/5 s) → db (rest-for-one, 1/5 s: pool, cache, scratch temporary), web (transient).
    static func shop() -> SupervisorSpec {
        let idle: @Sendable (ChildID, RestartPolicy) -> ChildSpec = { id, policy in
            .worker(id, restart: policy, backoff: .none) { IdleWorker() }
        }
        return SupervisorSpec("root", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 3, within: .seconds(5)), children: [
            .supervisor(SupervisorSpec("db", strategy: .restForOne, intensity: RestartIntensity(maxRestarts: 1, within: .seconds(5)),
                                       children: [idle("pool", .permanent), idle("cache", .permanent), idle("scratch", .temporary)])),
            idle("web", .transient),
        ])
    }

    @Test("kill in a rest-for-one supervisor: the later siblings restart, a temporary one is dropped; the gauge is named")
    func restForOne() async throws {
        var run = try await TreeUnderTest.start(Self.shop())
        let radius = try run.tree.snapshot().blastRadius(of: .kill, at: "root/db/pool")
        #expect(radius.reactions == [BlastRadius.Reaction(
            supervisor: "root/db", strategy: .restForOne, exited: "root/db/pool", restarts: 1, maxRestarts: 1,
            action: .restart(stopped: ["root/db/scratch", "root/db/cache"], dropped: ["root/db/scratch"],
                             restarted: ["root/db/pool", "root/db/cache"]))])
        #expect(radius.outcome == .absorbed(by: "root/db"))
        #expect(radius.summary.contains("the last one before it gives up"))
        try await expectEngineAgrees(radius, run: &run)
        #expect(run.tree.snapshot().node(at: "root/db/scratch") == nil)
        await run.tree.shutdown()
    }

    @Test("kill past the intensity: the supervisor gives up and its parent restarts it")
    func escalation() async throws {
        var run = try await TreeUnderTest.start(Self.shop())
        try await run.tree.kill("root/db/pool")
        _ = await run.events.kinds(through: { $0.isStarted("root/db/cache", incarnation: 2) })
        let radius = try run.tree.snapshot().blastRadius(of: .kill, at: "root/db/pool")
        #expect(radius.reactions.map(\.supervisor) == ["root/db", "root"])
        #expect(radius.reactions.first?.action == .giveUp(stopped: ["root/db/cache"]))
        #expect(radius.reactions.last?.action == .restart(stopped: [], dropped: [], restarted: ["root/db"]))
        #expect(radius.outcome == .absorbed(by: "root"))
        try await expectEngineAgrees(radius, run: &run)
        await run.tree.shutdown()
    }

    @Test("a transient child killed is restarted; terminate restarts nothing; the root and refused states throw")
    func otherOperations() async throws {
        let run = try await TreeUnderTest.start(Self.shop())
        let snapshot = run.tree.snapshot()
        let web = try snapshot.blastRadius(of: .kill, at: "root/web")
        #expect(web.outcome == .absorbed(by: "root"))
        let terminate = try snapshot.blastRadius(of: .terminate, at: "root/db")
        #expect(terminate.stoppedWithTarget == ["root/db/pool", "root/db/cache", "root/db/scratch"])
        #expect(terminate.outcome == .staysStopped("root/db"))
        #expect(terminate.reactions.isEmpty)
        #expect(throws: SupervisorError.self) { try snapshot.blastRadius(of: .kill, at: "root") }
        #expect(throws: SupervisorError.self) { try snapshot.blastRadius(of: .kill, at: "root/nope") }
        do {
            _ = try snapshot.blastRadius(of: .restart, at: "root/web")
            Issue.record("restart of a running child must be refused")
        } catch {
            #expect(error.code == .childRunning)
        }
        await run.tree.shutdown()
    }

    /// Kills the target and checks the engine's events against the preview: every restarted
    /// path gets `restartScheduled`, every supervisor that gives up `escalated`, nothing else.
    private func expectEngineAgrees(_ radius: BlastRadius, run: inout TreeUnderTest) async throws {
        try await run.tree.kill(radius.target)
        guard case .absorbed(let absorber) = radius.outcome, let last = radius.reactions.last,
              case .restart(_, _, let restarted) = last.action, let final = restarted.last else {
            Issue.record("these scenarios end absorbed")
            return
        }
        var kinds = await run.events.kinds(through: { kind in
            if case .restartScheduled(let path, _) = kind { return path == final }
            return false
        })
        kinds += try await run.barrier(under: absorber)
        var scheduled: [ChildPath] = []
        var escalated: [ChildPath] = []
        for kind in kinds {
            if case .restartScheduled(let path, _) = kind { scheduled.append(path) }
            if case .escalated(let supervisor) = kind { escalated.append(supervisor) }
        }
        var expectedRestarts: [ChildPath] = []
        var expectedGiveUps: [ChildPath] = []
        for reaction in radius.reactions {
            switch reaction.action {
            case .restart(_, _, let restarted): expectedRestarts += restarted
            case .giveUp: expectedGiveUps.append(reaction.supervisor)
            }
        }
        #expect(scheduled == expectedRestarts)
        #expect(escalated == expectedGiveUps)
    }
}
