import AshFlare
import AshFlareTestKit
import Testing

@Suite("Execution identity and conditional operations", .timeLimit(.minutes(1)))
struct ExecutionIdentityTests {
    /// root → db (supervisor) → pool (worker): restarting db starts pool again at incarnation 1.
    func spec(_ scripts: Scripts) -> SupervisorSpec {
        SupervisorSpec("root") {
            ChildSpec.supervisor(SupervisorSpec("db") { scripts.child("pool") })
        }
    }

    @Test("a restarted supervisor's children start again at incarnation 1 but with a new, never reused execution id")
    func idsNeverRepeat() async throws {
        let scripts = Scripts(["pool"])
        var t = try await TreeUnderTest.start(spec(scripts))
        let before = try #require(t.tree.snapshot().node(at: "root/db/pool"))
        #expect(t.tree.snapshot().root.execution == 1)
        #expect(before.incarnation == 1)
        try await t.tree.kill("root/db")
        let started = await t.events.next(where: { $0.isStarted("root/db/pool") })
        let after = try #require(t.tree.snapshot().node(at: "root/db/pool"))
        #expect(after.incarnation == 1, "the per-child number repeats")
        #expect(after.execution != before.execution, "the execution id does not")
        #expect(after.execution > (t.tree.snapshot().node(at: "root/db")?.execution ?? .max), "ids grow in start order")
        #expect(started?.execution == after.execution, "childStarted names the execution")
        #expect(try t.tree.whichChildren(of: "root/db").first?.execution == after.execution)
        await t.tree.shutdown()
    }

    @Test("kill only if still the execution seen: refused with staleExecution after the parent restarted, the new child untouched")
    func conditionalKill() async throws {
        let scripts = Scripts(["pool"])
        var t = try await TreeUnderTest.start(spec(scripts))
        let seen = try #require(t.tree.snapshot().node(at: "root/db/pool")).execution
        try await t.tree.kill("root/db")
        _ = await t.events.next(where: { $0.isStarted("root/db") })
        await expectSupervisorError(.staleExecution) { try await t.tree.kill("root/db/pool", ifExecution: seen) }
        await expectSupervisorError(.staleExecution) { try await t.tree.terminate("root/db/pool", ifExecution: seen) }
        #expect(try await t.barrier(under: "root/db") == [], "nothing happened to the new pool")
        #expect(try t.states(of: "root/db")["pool"] == .running)

        let current = try #require(t.tree.snapshot().node(at: "root/db/pool")).execution
        try await t.tree.kill("root/db/pool", ifExecution: current)
        #expect(await t.events.next(where: { $0.isExited("root/db/pool") })?.kind
            == .childExited(path: "root/db/pool", incarnation: 1, reason: .killed))
        await t.tree.shutdown()
    }

    @Test("restart and delete of a stopped child check its last execution")
    func conditionalRestartDelete() async throws {
        let scripts = Scripts(["pool"])
        let t = try await TreeUnderTest.start(spec(scripts))
        let last = try #require(t.tree.snapshot().node(at: "root/db/pool")).execution
        try await t.tree.terminate("root/db/pool")
        await expectSupervisorError(.staleExecution) { try await t.tree.restart("root/db/pool", ifExecution: last + 1000) }
        try await t.tree.restart("root/db/pool", ifExecution: last)
        let restarted = try #require(t.tree.snapshot().node(at: "root/db/pool")).execution
        #expect(restarted != last)
        try await t.tree.terminate("root/db/pool", ifExecution: restarted)
        await expectSupervisorError(.staleExecution) { try await t.tree.delete("root/db/pool", ifExecution: last) }
        try await t.tree.delete("root/db/pool", ifExecution: restarted)
        #expect(try t.tree.whichChildren(of: "root/db").isEmpty)
        await t.tree.shutdown()
    }

    @Test("starting a child whose id is taken: already started (running) or already present (a stopped spec), as OTP tells them apart")
    func alreadyStartedOrPresent() async throws {
        let scripts = Scripts(["pool"])
        let t = try await TreeUnderTest.start(spec(scripts))
        let again = ChildSpec.worker("pool") { IdleWorker() }
        await expectSupervisorError(.childAlreadyExists) { try await t.tree.startChild(again, under: "root/db") }
        try await t.tree.terminate("root/db/pool")
        await expectSupervisorError(.childAlreadyPresent) { try await t.tree.startChild(again, under: "root/db") }
        await t.tree.shutdown()
    }
}
