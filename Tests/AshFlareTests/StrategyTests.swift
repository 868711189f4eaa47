import AshFlare
import AshFlareTestKit
import Testing

@Suite("Restart strategies", .timeLimit(.minutes(1)))
struct StrategyTests {
    func threeChildren(_ strategy: RestartStrategy, cPolicy: RestartPolicy = .permanent) async throws -> (TreeUnderTest, Scripts) {
        let scripts = Scripts(["a", "b", "c"])
        let spec = SupervisorSpec("root", strategy: strategy) {
            scripts.child("a")
            scripts.child("b")
            scripts.child("c", restart: cPolicy)
        }
        return (try await TreeUnderTest.start(spec), scripts)
    }

    @Test("one-for-one restarts only the failed child")
    func oneForOne() async throws {
        var (t, scripts) = try await threeChildren(.oneForOne)
        scripts["b"].crash("boom")
        let kinds = await t.events.kinds(through: { $0.isStarted("root/b") })
        #expect(kinds == [
            .childExited(path: "root/b", incarnation: 1, reason: .error("boom")),
            .intensityChanged(supervisor: "root", restarts: 1, maxRestarts: 3),
            .restartScheduled(path: "root/b", delay: .zero),
            .childStarted(path: "root/b", incarnation: 2),
        ])
        #expect(try t.incarnations() == ["a": 1, "b": 2, "c": 1])
        await t.tree.shutdown()
    }

    @Test("one-for-all stops the others in reverse order, then restarts all in order")
    func oneForAll() async throws {
        var (t, scripts) = try await threeChildren(.oneForAll)
        scripts["b"].crash("boom")
        let kinds = await t.events.kinds(through: { $0.isStarted("root/c") })
        #expect(kinds == [
            .childExited(path: "root/b", incarnation: 1, reason: .error("boom")),
            .intensityChanged(supervisor: "root", restarts: 1, maxRestarts: 3),
            .childExited(path: "root/c", incarnation: 1, reason: .shutdown),
            .childExited(path: "root/a", incarnation: 1, reason: .shutdown),
            .restartScheduled(path: "root/a", delay: .zero),
            .restartScheduled(path: "root/b", delay: .zero),
            .restartScheduled(path: "root/c", delay: .zero),
            .childStarted(path: "root/a", incarnation: 2),
            .childStarted(path: "root/b", incarnation: 2),
            .childStarted(path: "root/c", incarnation: 2),
        ])
        #expect(try t.states().values.allSatisfy { $0 == .running })
        #expect(scripts["a"].shutdownHookRuns == 1, "stopped siblings run their shutdown hook")
        await t.tree.shutdown()
    }

    @Test("one-for-all drops a temporary sibling instead of restarting it")
    func oneForAllTemporarySibling() async throws {
        var (t, scripts) = try await threeChildren(.oneForAll, cPolicy: .temporary)
        scripts["a"].crash("boom")
        let kinds = await t.events.kinds(through: { $0.isStarted("root/b") })
        #expect(kinds.contains(.childRemoved(path: "root/c")))
        #expect(!kinds.contains(.restartScheduled(path: "root/c", delay: .zero)))
        #expect(try t.tree.whichChildren(of: "root").map(\.id) == ["a", "b"])
        await t.tree.shutdown()
    }

    @Test("rest-for-one restarts the failed child and those after it, leaving earlier ones untouched")
    func restForOne() async throws {
        var (t, scripts) = try await threeChildren(.restForOne)
        scripts["b"].crash("boom")
        let kinds = await t.events.kinds(through: { $0.isStarted("root/c") })
        #expect(kinds == [
            .childExited(path: "root/b", incarnation: 1, reason: .error("boom")),
            .intensityChanged(supervisor: "root", restarts: 1, maxRestarts: 3),
            .childExited(path: "root/c", incarnation: 1, reason: .shutdown),
            .restartScheduled(path: "root/b", delay: .zero),
            .restartScheduled(path: "root/c", delay: .zero),
            .childStarted(path: "root/b", incarnation: 2),
            .childStarted(path: "root/c", incarnation: 2),
        ])
        #expect(try t.incarnations() == ["a": 1, "b": 2, "c": 2])
        #expect(try t.tree.whichChildren(of: "root").map(\.id) == ["a", "b", "c"], "order preserved")
        await t.tree.shutdown()
    }

    @Test("a one-for-all or rest-for-one round counts as one restart", arguments: [RestartStrategy.oneForAll, .restForOne])
    func roundCountsOnce(strategy: RestartStrategy) async throws {
        var (t, scripts) = try await threeChildren(strategy)
        scripts["a"].crash("boom")
        _ = await t.events.kinds(through: { $0.isStarted("root/c") })
        let window = try #require(t.tree.snapshot().root.supervisor)
        #expect(window.recentRestarts.count == 1)
        await t.tree.shutdown()
    }
}
