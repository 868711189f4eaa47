import AshFlare
import AshFlareTestKit
import Testing

@Suite("Child administration by path", .timeLimit(.minutes(1)))
struct ChildAdminTests {
    func deepTree() async throws -> TreeUnderTest {
        let spec = SupervisorSpec("root") {
            SupervisorSpec("mid") {
                SupervisorSpec("low") {
                    ChildSpec.worker("leaf", backoff: .none) { IdleWorker() }
                    ChildSpec.worker("other", backoff: .none) { IdleWorker() }
                }
            }
        }
        return try await TreeUnderTest.start(spec)
    }

    @Test("terminate keeps the spec, restart starts it again, delete removes it — at depth 3")
    func terminateRestartDelete() async throws {
        let t = try await deepTree()
        let low: ChildPath = "root/mid/low"
        try await t.tree.terminate("root/mid/low/leaf")
        #expect(try t.states(of: low)["leaf"] == .stopped)
        #expect(t.tree.snapshot().node(at: "root/mid/low/leaf")?.lastExit == .shutdown)
        try await t.tree.restart("root/mid/low/leaf")
        #expect(try t.states(of: low)["leaf"] == .running)
        #expect(try t.incarnations(of: low)["leaf"] == 2)
        #expect(t.tree.snapshot().node(at: "root/mid/low/leaf")?.restartCount == 0, "an operator restart is not a supervisor restart")
        try await t.tree.terminate("root/mid/low/leaf")
        try await t.tree.delete("root/mid/low/leaf")
        #expect(try t.tree.whichChildren(of: low).map(\.id) == ["other"])
        await t.tree.shutdown()
    }

    @Test("restart or delete of a running child fails with childRunning (OTP's error rules)")
    func runningErrors() async throws {
        let t = try await deepTree()
        await expectSupervisorError(.childRunning) { try await t.tree.restart("root/mid/low/leaf") }
        await expectSupervisorError(.childRunning) { try await t.tree.delete("root/mid/low/leaf") }
        await expectSupervisorError(.childRunning) { try await t.tree.delete("root/mid") }
        #expect(try t.states(of: "root/mid/low")["leaf"] == .running)
        await t.tree.shutdown()
    }

    @Test("unknown paths fail with childNotFound, the root with rootSupervisor, a worker used as a supervisor with notASupervisor")
    func unknownPaths() async throws {
        let t = try await deepTree()
        await expectSupervisorError(.childNotFound) { try await t.tree.kill("root/mid/nope") }
        await expectSupervisorError(.childNotFound) { try await t.tree.terminate("other-root/mid") }
        await expectSupervisorError(.rootSupervisor) { try await t.tree.kill("root") }
        await expectSupervisorError(.rootSupervisor) { try await t.tree.terminate("root") }
        await expectSupervisorError(.rootSupervisor) { try await t.tree.restart("root") }
        await expectSupervisorError(.rootSupervisor) { try await t.tree.delete("root") }
        await expectSupervisorError(.childNotFound) { _ = try t.tree.whichChildren(of: "root/nope") }
        await expectSupervisorError(.notASupervisor) { _ = try t.tree.whichChildren(of: "root/mid/low/leaf") }
        await expectSupervisorError(.notASupervisor) { try await t.tree.kill("root/mid/low/leaf/deeper") }
        await expectSupervisorError(.childNotRunning) {
            try await t.tree.terminate("root/mid/low/leaf")
            try await t.tree.kill("root/mid/low/leaf")
        }
        await t.tree.shutdown()
    }

    @Test("kill at depth crashes the child with reason killed and its policy restarts it")
    func killAtDepth() async throws {
        var t = try await deepTree()
        try await t.tree.kill("root/mid/low/other")
        let kinds = await t.events.kinds(through: { $0.isStarted("root/mid/low/other", incarnation: 2) })
        #expect(kinds.first == .childExited(path: "root/mid/low/other", incarnation: 1, reason: .killed))
        await t.tree.shutdown()
    }

    @Test("killing a nested supervisor stops its subtree and restarts it")
    func killSupervisor() async throws {
        var t = try await deepTree()
        try await t.tree.kill("root/mid")
        let kinds = await t.events.kinds(through: { $0.isStarted("root/mid", incarnation: 2) })
        #expect(kinds.contains(.childExited(path: "root/mid/low/leaf", incarnation: 1, reason: .shutdown)))
        #expect(kinds.contains(.childExited(path: "root/mid", incarnation: 1, reason: .killed)))
        #expect(try t.states(of: "root/mid/low") == ["leaf": .running, "other": .running])
        await t.tree.shutdown()
    }

    @Test("a terminated nested supervisor's children are unreachable until it is restarted")
    func terminatedSupervisor() async throws {
        let t = try await deepTree()
        try await t.tree.terminate("root/mid")
        await expectSupervisorError(.supervisorNotRunning) { _ = try t.tree.whichChildren(of: "root/mid/low") }
        await expectSupervisorError(.supervisorNotRunning) { _ = try t.tree.whichChildren(of: "root/mid") }
        #expect(try t.tree.countChildren(of: "root") == ChildCounts(specs: 1, active: 0, supervisors: 1, workers: 0))
        try await t.tree.restart("root/mid")
        #expect(try t.states(of: "root/mid/low") == ["leaf": .running, "other": .running])
        await t.tree.shutdown()
    }

    @Test("terminating a temporary child drops its spec")
    func terminateTemporary() async throws {
        let t = try await TreeUnderTest.start(SupervisorSpec("root") {
            ChildSpec.worker("tmp", restart: .temporary) { IdleWorker() }
        })
        try await t.tree.terminate("root/tmp")
        #expect(try t.tree.whichChildren(of: "root").isEmpty)
        await t.tree.shutdown()
    }
}
