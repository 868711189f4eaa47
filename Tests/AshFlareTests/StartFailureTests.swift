import AshFlare
import AshFlareTestKit
import Testing

/// OTP's rules for a child whose start fails (`initialize()` throws), found by the OTP
/// differential suite (docs/OTP-DIFF.md).
@Suite("Start failures (OTP's init and restart_child rules)", .timeLimit(.minutes(1)))
struct StartFailureTests {
    @Test("a child that fails to start during the initial start fails the tree's start, and the children started before it are stopped")
    func initialStartFails() async throws {
        let scripts = Scripts(["a", "b", "c"])
        scripts["b"].failInitialization("no database")
        let spec = SupervisorSpec("root") {
            scripts.child("a")
            SupervisorSpec("inner") { scripts.child("b") }
            scripts.child("c")
        }
        await expectSupervisorError(.initializationFailed) { _ = try await SupervisorHandle.start(spec, clock: ManualClock()) }
        #expect(scripts["a"].initializations == 1)
        #expect(scripts["a"].shutdownHookRuns == 1, "a was started and stopped again")
        #expect(scripts["c"].initializations == 0, "c was never started")
    }

    @Test("startChild of a supervisor whose child fails to start throws and adds nothing")
    func startChildOfFailingSupervisor() async throws {
        let scripts = Scripts(["w"])
        scripts["w"].failInitialization("boom")
        let t = try await TreeUnderTest.start(SupervisorSpec("root") {})
        await expectSupervisorError(.initializationFailed) {
            try await t.tree.startChild(.supervisor(SupervisorSpec("inner") { scripts.child("w") }), under: "root")
        }
        #expect(try t.tree.whichChildren(of: "root").isEmpty)
        await t.tree.shutdown()
    }

    @Test("a restart op whose start fails answers the error and leaves the child stopped: not restarted, not counted")
    func restartOpFails() async throws {
        let scripts = Scripts(["w"])
        var t = try await TreeUnderTest.start(SupervisorSpec("root") { scripts.child("w") })
        try await t.tree.terminate("root/w")
        scripts["w"].failInitialization("still broken")
        await expectSupervisorError(.initializationFailed) { try await t.tree.restart("root/w") }
        let kinds = try await t.barrier()
        #expect(!kinds.contains { if case .restartScheduled = $0 { true } else { false } }, "no restart by policy: \(kinds)")
        #expect(!kinds.contains { if case .intensityChanged = $0 { true } else { false } }, "nothing counted: \(kinds)")
        #expect(try t.states()["w"] == .stopped)
        #expect(scripts["w"].initializations == 1, "only the first start succeeded; nothing started it again")
        await t.tree.shutdown()
    }
    @Test("children of a round after one that fails to start get restartCancelled, then start in the round the failure plans")
    func roundStopsAtFailedStart() async throws {
        let scripts = Scripts(["a", "b", "c"])
        let spec = SupervisorSpec("root", strategy: .restForOne, intensity: RestartIntensity(maxRestarts: 10, within: .seconds(5))) {
            scripts.child("a")
            scripts.child("b")
            scripts.child("c")
        }
        var t = try await TreeUnderTest.start(spec)
        _ = try await t.barrier()
        scripts["b"].failInitialization("not yet")
        try await t.tree.kill("root/a")
        let kinds = await t.events.kinds(through: { $0.isStarted("root/c", incarnation: 2) })
        let cancelled = kinds.firstIndex { if case .restartCancelled(path: "root/c") = $0 { true } else { false } }
        let rescheduled = kinds.lastIndex { if case .restartScheduled(path: "root/c", _) = $0 { true } else { false } }
        #expect(cancelled != nil, "c was scheduled and not started: an observer must see it stopped, \(kinds)")
        if let cancelled, let rescheduled { #expect(cancelled < rescheduled, "c is scheduled again after: \(kinds)") }
        #expect(try t.states() == ["a": .running, "b": .running, "c": .running])
        #expect(try t.incarnations() == ["a": 2, "b": 3, "c": 2])
        await t.tree.shutdown()
    }
}
