import AshFlare
import AshFlareTestKit
import Synchronization
import Testing

@Suite("Incarnations", .timeLimit(.minutes(1)))
struct IncarnationTests {
    @Test("an exit from an old, abandoned incarnation does not affect the new one")
    func staleExitIgnored() async throws {
        let first = WorkerScript(ignoresCancellation: true)
        let second = WorkerScript()
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("w", shutdown: .timeout(.seconds(1)), backoff: .none) { context in
                (context.incarnation == 1 ? first : second).makeWorker()
            }
        }
        var t = try await TreeUnderTest.start(spec)
        let kill = Task { [tree = t.tree] in try await tree.kill("root/w") }
        await t.clock.waitForSleepers(atLeast: 1)
        t.clock.advance(by: .seconds(1))
        try await kill.value
        let kinds = await t.events.kinds(through: { $0.isStarted("root/w", incarnation: 2) })
        #expect(kinds.contains(.abandoned(path: "root/w", incarnation: 1)))
        #expect(kinds.contains(.childExited(path: "root/w", incarnation: 1, reason: .killed)))

        first.crash("late crash of the abandoned incarnation")
        #expect(try await t.barrier() == [], "the stale exit produced no event and no restart")
        #expect(try t.incarnations()["w"] == 2)
        #expect(try t.states()["w"] == .running)
        await t.tree.shutdown()
        #expect(t.tree.liveWorkerTasks == 0)
        #expect(t.tree.abandonedWorkerTasks == 0, "the abandoned task finished and was accounted for")
    }

    @Test("every start gets the next incarnation number, seen by the factory")
    func incarnationsCount() async throws {
        let seen = Mutex<[UInt64]>([])
        let script = WorkerScript()
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("w", backoff: .none) { context in
                seen.withLock { $0.append(context.incarnation) }
                return script.makeWorker()
            }
        }
        var t = try await TreeUnderTest.start(spec)
        for incarnation in 1...3 as ClosedRange<UInt64> {
            script.crash()
            _ = await t.events.next(where: { $0.isStarted("root/w", incarnation: incarnation + 1) })
        }
        #expect(seen.withLock { $0 } == [1, 2, 3, 4])
        #expect(t.tree.snapshot().node(at: "root/w")?.restartCount == 3)
        await t.tree.shutdown()
    }
}
