import AshFlare
import AshFlareTestKit
import Testing

@Suite("Restart policies × exit kinds (OTP's restart types)", .timeLimit(.minutes(1)))
struct RestartPolicyTests {
    static let table: [(RestartPolicy, ExitKind, Bool)] = [
        (.permanent, .normal, true), (.permanent, .error, true), (.permanent, .kill, true),
        (.transient, .normal, false), (.transient, .error, true), (.transient, .kill, true),
        (.temporary, .normal, false), (.temporary, .error, false), (.temporary, .kill, false),
    ]

    @Test("restart decision", arguments: table)
    func decision(policy: RestartPolicy, exit: ExitKind, restarted: Bool) async throws {
        let scripts = Scripts(["w"])
        var t = try await TreeUnderTest.start(SupervisorSpec("root") { scripts.child("w", restart: policy) })
        try await exit.trigger("root/w", script: scripts["w"], tree: t.tree)
        #expect(await t.events.next(where: { $0.isExited("root/w") })?.kind
            == .childExited(path: "root/w", incarnation: 1, reason: exit.reason))
        let following = try await t.barrier()
        let infos = try t.tree.whichChildren(of: "root").filter { $0.id == "w" }
        if restarted {
            #expect(following == [
                .intensityChanged(supervisor: "root", restarts: 1, maxRestarts: 3),
                .restartScheduled(path: "root/w", delay: .zero),
                .childStarted(path: "root/w", incarnation: 2),
            ])
            #expect(infos.map(\.state) == [.running])
            #expect(scripts["w"].initializations == 2)
        } else if policy == .temporary {
            #expect(following == [.childRemoved(path: "root/w")])
            #expect(infos.isEmpty, "a temporary child's spec is dropped")
        } else {
            #expect(following == [])
            #expect(infos.map(\.state) == [.stopped], "a transient child's spec is kept, stopped")
            #expect(t.tree.snapshot().node(at: "root/w")?.lastExit == .normal)
        }
        await t.tree.shutdown()
    }

    @Test("a worker throwing CancellationError on its own counts as a normal shutdown exit")
    func selfCancellation() async throws {
        var t = try await TreeUnderTest.start(SupervisorSpec("root") {
            ChildSpec.worker("w", restart: .transient, backoff: .none) { TaskWorker { throw CancellationError() } }
        })
        _ = try await t.barrier()
        let node = try #require(t.tree.snapshot().node(at: "root/w"))
        #expect(node.state == .stopped)
        #expect(node.lastExit == .shutdown)
        #expect(node.incarnation == 1, "not restarted")
        await t.tree.shutdown()
    }
}

@Suite("Restart policy × exit reason (the pure rule)", .timeLimit(.minutes(1)))
struct RestartRuleTests {
    static let reasons: [ChildExitReason] = [.normal, .shutdown, .killed, .error("boom"), .abandoned, .escalated]
    /// Per policy, the reasons after which the child is restarted (OTP's `restart/2`; a
    /// supervisor that gives up exits `shutdown` in OTP, so a transient one stays stopped).
    static let restartedAfter: [RestartPolicy: Set<ChildExitReason>] = [
        .permanent: Set(reasons),
        .transient: [.killed, .error("boom"), .abandoned],
        .temporary: [],
    ]

    @Test("policy × reason → restarted or not", arguments: RestartPolicy.allCases, reasons)
    func rule(policy: RestartPolicy, reason: ChildExitReason) {
        #expect(policy.restarts(after: reason) == Self.restartedAfter[policy]!.contains(reason))
    }

    @Test("a transient nested supervisor that gives up stays stopped and costs its parent nothing")
    func transientSupervisorEscalates() async throws {
        let scripts = Scripts(["w"])
        let nested = SupervisorSpec("inner", intensity: RestartIntensity(maxRestarts: 0, within: .seconds(5))) { scripts.child("w") }
        let spec = SupervisorSpec("root", intensity: RestartIntensity(maxRestarts: 0, within: .seconds(5))) {
            ChildSpec.supervisor(nested, restart: .transient)
        }
        var t = try await TreeUnderTest.start(spec)
        scripts["w"].crash("boom")
        #expect(await t.events.next(where: { $0.isExited("root/inner") })?.kind
            == .childExited(path: "root/inner", incarnation: 1, reason: .escalated))
        #expect(try await t.barrier() == [], "no restart of inner, no intensity change of root")
        #expect(try t.states()["inner"] == .failed)
        #expect(t.tree.snapshot().root.state == .running, "root (intensity 0) stays up, as OTP's does")
        await t.tree.shutdown()
    }
}
