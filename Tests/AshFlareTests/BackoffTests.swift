import AshFlare
import AshFlareTestKit
import Testing

@Suite("Backoff", .timeLimit(.minutes(1)))
struct BackoffTests {
    @Test("delays double from the initial value up to the cap")
    func doubling() {
        let backoff = Backoff.exponential(initial: .milliseconds(100), maximum: .seconds(1))
        let delays = (0..<6).map { backoff.delay(forAttempt: UInt32($0), random: 0) }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
    }

    @Test("a huge attempt number never overflows")
    func noOverflow() {
        let backoff = Backoff.exponential(initial: .milliseconds(100), maximum: .seconds(30))
        #expect(backoff.delay(forAttempt: .max, random: 0) == .seconds(30))
        #expect(backoff.delay(forAttempt: 64, random: 0.99) == .seconds(30))
        let extreme = Backoff.exponential(initial: .seconds(Int64.max / 4), maximum: .seconds(Int64.max / 2))
        #expect(extreme.delay(forAttempt: .max, random: 1) > .zero)
    }

    @Test("none never delays")
    func none() {
        #expect(Backoff.none.delay(forAttempt: 0, random: 0.5) == .zero)
        #expect(Backoff.none.delay(forAttempt: 1000, random: 0.5) == .zero)
    }

    @Test("jitter stays within its bounds with a seeded source, and the source is reproducible")
    func jitterBounds() {
        let backoff = Backoff.exponential(initial: .milliseconds(100), maximum: .seconds(10), jitter: 0.5)
        let random = RandomSource.seeded(42)
        var seen = Set<Duration>()
        for attempt in 0..<8 {
            let base = Backoff.exponential(initial: .milliseconds(100), maximum: .seconds(10)).delay(forAttempt: UInt32(attempt), random: 0)
            for _ in 0..<100 {
                let delay = backoff.delay(forAttempt: UInt32(attempt), random: random())
                #expect(delay >= base && delay <= base * 1.5)
                seen.insert(delay)
            }
        }
        #expect(seen.count > 100, "jitter actually varies the delay")
        let a = RandomSource.seeded(7), b = RandomSource.seeded(7)
        #expect((0..<10).map { _ in a() } == (0..<10).map { _ in b() })
    }

    @Test("the supervisor waits out the delay, answers queries meanwhile, and resets after a healthy run")
    func runtimeBackoff() async throws {
        let script = WorkerScript()
        let backoff = Backoff.exponential(initial: .seconds(1), maximum: .seconds(8), resetAfter: .seconds(20))
        let spec = SupervisorSpec("root", intensity: RestartIntensity(maxRestarts: 10, within: .seconds(5))) {
            ChildSpec.worker("w", backoff: backoff) { script.makeWorker() }
        }
        var t = try await TreeUnderTest.start(spec)

        script.crash()
        _ = await t.events.next(where: { if case .restartScheduled = $0 { true } else { false } })
        #expect(try t.states() == ["w": .backingOff(until: .seconds(1))], "queries answer while the child waits")
        #expect(t.tree.snapshot().node(at: "root/w")?.state == .backingOff(until: .seconds(1)))
        t.clock.advance(by: .seconds(1))
        _ = await t.events.next(where: { $0.isStarted("root/w", incarnation: 2) })

        script.crash()
        #expect(await t.events.next(where: { if case .restartScheduled = $0 { true } else { false } })?.kind
            == .restartScheduled(path: "root/w", delay: .seconds(2)))
        t.clock.advance(by: .seconds(2))
        _ = await t.events.next(where: { $0.isStarted("root/w", incarnation: 3) })

        #expect(t.tree.pendingRestartTimers == 0, "a timer that fired is not kept")
        t.clock.advance(by: .seconds(20))  // a healthy run as long as resetAfter
        script.crash()
        #expect(await t.events.next(where: { if case .restartScheduled = $0 { true } else { false } })?.kind
            == .restartScheduled(path: "root/w", delay: .seconds(1)), "the count reset")
        await t.tree.shutdown()
    }

    @Test("terminating a child that waits for its restart cancels the restart")
    func terminateWhileBackingOff() async throws {
        let script = WorkerScript()
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("w", backoff: .exponential(initial: .seconds(1), maximum: .seconds(1))) { script.makeWorker() }
        }
        var t = try await TreeUnderTest.start(spec)
        script.crash()
        _ = await t.events.next(where: { if case .restartScheduled = $0 { true } else { false } })
        await expectSupervisorError(.childRestarting) { try await t.tree.restart("root/w") }
        await expectSupervisorError(.childNotRunning) { try await t.tree.kill("root/w") }
        #expect(t.tree.pendingRestartTimers == 1)
        try await t.tree.terminate("root/w")
        #expect(t.tree.pendingRestartTimers == 0, "the cancelled restart's timer is gone")
        t.clock.advance(by: .seconds(5))
        #expect(try await t.barrier() == [.restartCancelled(path: "root/w")], "the cancelled restart has an event")
        #expect(try t.states()["w"] == .stopped)
        await t.tree.shutdown()
    }
}
