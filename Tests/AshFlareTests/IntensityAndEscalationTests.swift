import AshFlare
import AshFlareTestKit
import Testing

@Suite("Restart intensity and escalation", .timeLimit(.minutes(1)))
struct IntensityAndEscalationTests {
    func crashOnce(_ t: inout TreeUnderTest, _ script: WorkerScript, _ path: ChildPath, incarnation: UInt64) async {
        script.crash("boom")
        _ = await t.events.kinds(through: { $0.isStarted(path, incarnation: incarnation + 1) })
    }

    @Test("exactly maxRestarts restarts within the period are allowed; one more escalates")
    func exactLimit() async throws {
        let scripts = Scripts(["w"])
        let spec = SupervisorSpec("root", intensity: RestartIntensity(maxRestarts: 2, within: .seconds(10))) {
            scripts.child("w")
        }
        var t = try await TreeUnderTest.start(spec)
        await crashOnce(&t, scripts["w"], "root/w", incarnation: 1)
        await crashOnce(&t, scripts["w"], "root/w", incarnation: 2)
        scripts["w"].crash("third")
        let kinds = await t.events.kinds(through: { $0.isExited("root") })
        #expect(kinds == [
            .childExited(path: "root/w", incarnation: 3, reason: .error("third")),
            .intensityChanged(supervisor: "root", restarts: 3, maxRestarts: 2),
            .escalated(supervisor: "root"),
            .shutdownBegan(supervisor: "root"),
            .shutdownFinished(supervisor: "root"),
            .childExited(path: "root", incarnation: 1, reason: .escalated),
        ])
        #expect(await t.events.next() == nil, "the event stream ends with the tree")
        let postMortem = t.tree.snapshot().root
        #expect(postMortem.state == .failed)
        #expect(postMortem.children.map(\.id) == ["w"], "the snapshot still shows the tree as it ended")
        #expect(postMortem.children.first?.lastExit == .error("third"))
        #expect(postMortem.children.first?.state == .stopped)
        #expect(postMortem.supervisor?.recentRestarts.count == 3, "with the window that made it give up")
        await expectSupervisorError(.shuttingDown) { _ = try t.tree.whichChildren(of: "root") }
        await t.tree.shutdown()
    }

    @Test("restarts older than the period fall out of the window")
    func slidingWindow() async throws {
        let scripts = Scripts(["w"])
        let spec = SupervisorSpec("root", intensity: RestartIntensity(maxRestarts: 2, within: .seconds(10))) {
            scripts.child("w")
        }
        var t = try await TreeUnderTest.start(spec)
        await crashOnce(&t, scripts["w"], "root/w", incarnation: 1)
        t.clock.advance(by: .seconds(6))
        await crashOnce(&t, scripts["w"], "root/w", incarnation: 2)
        t.clock.advance(by: .seconds(5))  // the first restart (t=0) is now 11 s old: out of the window
        await crashOnce(&t, scripts["w"], "root/w", incarnation: 3)
        #expect(t.tree.snapshot().root.supervisor?.recentRestarts == [.seconds(6), .seconds(11)])
        #expect(t.tree.snapshot().root.state == .running)
        await t.tree.shutdown()
    }

    @Test("a nested supervisor that exceeds its intensity fails and its parent restarts it, counting once")
    func escalationToParent() async throws {
        let scripts = Scripts(["w"])
        let spec = SupervisorSpec("root") {
            SupervisorSpec("db", intensity: RestartIntensity(maxRestarts: 1, within: .seconds(5))) {
                scripts.child("w")
                ChildSpec.worker("peer") { IdleWorker() }
            }
        }
        var t = try await TreeUnderTest.start(spec)
        await crashOnce(&t, scripts["w"], "root/db/w", incarnation: 1)
        scripts["w"].crash("again")
        let kinds = await t.events.kinds(through: { $0.isStarted("root/db", incarnation: 2) })
        #expect(kinds == [
            .childExited(path: "root/db/w", incarnation: 2, reason: .error("again")),
            .intensityChanged(supervisor: "root/db", restarts: 2, maxRestarts: 1),
            .escalated(supervisor: "root/db"),
            .shutdownBegan(supervisor: "root/db"),
            .childExited(path: "root/db/peer", incarnation: 1, reason: .shutdown),
            .shutdownFinished(supervisor: "root/db"),
            .childExited(path: "root/db", incarnation: 1, reason: .escalated),
            .intensityChanged(supervisor: "root", restarts: 1, maxRestarts: 3),
            .restartScheduled(path: "root/db", delay: .zero),
            // The new incarnation of db starts from its spec: its children are added again.
            .childAdded(path: "root/db/w"),
            .childAdded(path: "root/db/peer"),
            .childStarted(path: "root/db/w", incarnation: 1),
            .childStarted(path: "root/db/peer", incarnation: 1),
            .childStarted(path: "root/db", incarnation: 2),
        ])
        let db = try #require(t.tree.snapshot().node(at: "root/db"))
        #expect(db.restartCount == 1)
        #expect(db.lastExit == .escalated)
        #expect(db.supervisor?.recentRestarts == [], "a restarted supervisor starts with a fresh window")
        await t.tree.shutdown()
    }

    @Test("escalation travels up until a supervisor can absorb it")
    func escalationChain() async throws {
        let scripts = Scripts(["w"])
        let zero = RestartIntensity(maxRestarts: 0, within: .seconds(5))
        let spec = SupervisorSpec("root", intensity: zero) {
            SupervisorSpec("mid", intensity: zero) { scripts.child("w") }
        }
        var t = try await TreeUnderTest.start(spec)
        scripts["w"].crash("boom")
        let kinds = await t.events.kinds(through: { $0.isExited("root") })
        #expect(kinds.filter { if case .escalated = $0 { true } else { false } }
            == [.escalated(supervisor: "root/mid"), .escalated(supervisor: "root")])
        #expect(kinds.last == .childExited(path: "root", incarnation: 1, reason: .escalated))
        await t.tree.shutdown()
    }

    @Test("stops the supervisor causes itself never count as restarts and never trigger restarts")
    func selfCausedStops() async throws {
        let scripts = Scripts(["a", "b", "c"])
        let spec = SupervisorSpec("root", strategy: .oneForAll, intensity: RestartIntensity(maxRestarts: 1, within: .seconds(5))) {
            scripts.child("a"); scripts.child("b"); scripts.child("c")
        }
        var t = try await TreeUnderTest.start(spec)
        try await t.tree.terminate("root/c")
        try await t.tree.restart("root/c")
        scripts["a"].crash("boom")
        _ = await t.events.kinds(through: { $0.isStarted("root/c", incarnation: 3) })
        #expect(t.tree.snapshot().root.supervisor?.recentRestarts.count == 1, "the round's own stops did not count")
        #expect(t.tree.snapshot().node(at: "root/c")?.restartCount == 1)
        await t.tree.shutdown()
        let tail = await t.events.kinds(through: { $0.isExited("root") })
        #expect(!tail.contains { if case .restartScheduled = $0 { true } else { false } })
    }

    @Test("a crash-looping child under the default backoff restarts only when its delays elapse and escalates on the limit")
    func crashLoopDefaultBackoff() async throws {
        let clock = ManualClock()
        let tree = try await SupervisorHandle.start(SupervisorSpec("root"), clock: clock)
        var events = tree.events().makeAsyncIterator()
        try await tree.startChild(.worker("loop") { CrashingWorker("down") }, under: "root")
        var delays: [Duration] = []
        while let event = await events.next() {
            switch event.kind {
            case .restartScheduled(_, let delay):
                delays.append(delay)
                let window = try #require(tree.snapshot().root.supervisor)
                #expect(window.recentRestarts.count <= window.intensity.maxRestarts)
                clock.advance(by: delay)
            case .escalated:
                #expect(event.time == .milliseconds(700), "4th failure at 100+200+400 ms")
            default:
                break
            }
            if event.kind.isExited("root") { break }
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400)])
        #expect(tree.snapshot().root.state == .failed)
    }
}
