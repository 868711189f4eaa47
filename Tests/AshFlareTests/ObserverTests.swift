@testable import AshFlare
import AshFlareTestKit
import Testing

@Suite("Observer API", .timeLimit(.minutes(1)))
struct ObserverTests {
    /// A tree whose children crash and restart as fast as they can.
    func crashLoopingTree(children: Int = 4) async throws -> SupervisorHandle {
        let spec = SupervisorSpec("root", intensity: RestartIntensity(maxRestarts: 1_000_000_000, within: .seconds(1))) {
            for index in 0..<children {
                ChildSpec.worker("loop-\(index)", backoff: .none) { CrashingWorker("again") }
            }
            SupervisorSpec("nested", strategy: .oneForAll, intensity: RestartIntensity(maxRestarts: 1_000_000_000, within: .seconds(1))) {
                ChildSpec.worker("steady") { IdleWorker() }
                ChildSpec.worker("flaky", backoff: .none) { CrashingWorker("nested") }
            }
        }
        return try await SupervisorHandle.start(spec, clock: ManualClock())
    }

    func restartCounts(_ snapshot: TreeSnapshot) -> [ChildPath: Int] {
        Dictionary(uniqueKeysWithValues: snapshot.allNodes.map { ($0.path, $0.restartCount) })
    }

    @Test("a snapshot plus the events after it account for every restart, with no gap and no duplicate")
    func gapFree() async throws {
        let tree = try await crashLoopingTree()
        let first = tree.observe()
        var events = first.events.makeAsyncIterator()
        var expected = first.snapshot.sequence + 1
        var scheduled: [ChildPath: Int] = [:]
        for _ in 0..<3_000 {
            let event = try #require(await events.next())
            #expect(event.sequence == expected)
            expected = event.sequence + 1
            if case .restartScheduled(let path, _) = event.kind { scheduled[path, default: 0] += 1 }
        }
        let second = tree.observe()
        while expected <= second.snapshot.sequence {
            let event = try #require(await events.next())
            #expect(event.sequence == expected)
            expected = event.sequence + 1
            if case .restartScheduled(let path, _) = event.kind { scheduled[path, default: 0] += 1 }
        }
        let before = restartCounts(first.snapshot), after = restartCounts(second.snapshot)
        for (path, count) in after {
            #expect(count - (before[path] ?? 0) == scheduled[path, default: 0], "restarts of \(path)")
        }
        #expect(scheduled.values.reduce(0, +) > 100)
        await tree.shutdown()
    }

    @Test("two subscribers see the same sequence of events")
    func twoSubscribers() async throws {
        let tree = try await crashLoopingTree()
        var a = tree.events().makeAsyncIterator()
        let second = tree.observe()
        var b = second.events.makeAsyncIterator()
        var fromA: [SupervisorEvent] = []
        while fromA.count < 500, let event = await a.next() {
            if event.sequence > second.snapshot.sequence { fromA.append(event) }
        }
        var fromB: [SupervisorEvent] = []
        while fromB.count < 500, let event = await b.next() { fromB.append(event) }
        #expect(fromA == fromB)
        await tree.shutdown()
    }

    @Test("a stalled subscriber is told it lagged while the tree keeps restarting children")
    func lagged() async throws {
        let tree = try await crashLoopingTree()
        let stalled = tree.events(bufferSize: 8)
        var counter = tree.events().makeAsyncIterator()
        var restarts = 0
        while restarts < 200, let event = await counter.next() {
            if case .restartScheduled = event.kind { restarts += 1 }
        }
        var iterator = stalled.makeAsyncIterator()
        let first = try #require(await iterator.next())
        guard case .lagged(let missed) = first.kind else {
            Issue.record("expected a lagged event first, got \(first.kind)")
            return
        }
        #expect(missed > 0)
        var previous = first.sequence
        for _ in 0..<20 {
            let event = try #require(await iterator.next())
            if case .lagged = event.kind { previous = event.sequence; continue }
            #expect(event.sequence == previous + 1)
            previous = event.sequence
        }
        await tree.shutdown()
    }

    @Test("the snapshot reports states, incarnations, restart counts, exits and the intensity window")
    func snapshotContents() async throws {
        let script = WorkerScript()
        let clock = ManualClock()
        let spec = SupervisorSpec("root", intensity: RestartIntensity(maxRestarts: 5, within: .seconds(30))) {
            ChildSpec.worker("w", backoff: .exponential(initial: .seconds(2), maximum: .seconds(4))) { script.makeWorker() }
        }
        let tree = try await SupervisorHandle.start(spec, clock: clock)
        var events = tree.events().makeAsyncIterator()
        clock.advance(by: .seconds(3))
        script.crash("disk full")
        _ = await events.next(where: { if case .restartScheduled = $0 { true } else { false } })
        let node = try #require(tree.snapshot().node(at: "root/w"))
        #expect(node.state == .backingOff(until: .seconds(5)))
        #expect(node.lastExit == .error("disk full"))
        #expect(node.lastExitAt == .seconds(3))
        #expect(node.startedAt == .zero)
        #expect(node.restartCount == 1)
        #expect(node.incarnation == 1)
        #expect(tree.snapshot().root.supervisor == SupervisorDetails(
            strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 5, within: .seconds(30)), recentRestarts: [.seconds(3)]))
        #expect(tree.snapshot().time == .seconds(3))
        await tree.shutdown()
    }

    @Test("with no subscriber events are only counted, and a later subscriber starts after the count")
    func sequenceWithoutSubscribers() async throws {
        let script = WorkerScript()
        let tree = try await SupervisorHandle.start(SupervisorSpec("root") {
            ChildSpec.worker("w", backoff: .none) { script.makeWorker() }
        }, clock: ManualClock())
        let before = tree.snapshot().sequence
        let observation = tree.observe()
        #expect(observation.snapshot.sequence == before)
        var events = observation.events.makeAsyncIterator()
        script.crash()
        #expect(await events.next()?.sequence == before + 1)
        await tree.shutdown()
    }

    @Test("cancelling subscribers while the tree emits never deadlocks, and ended subscribers are dropped")
    func cancellationWhileEmitting() async throws {
        let tree = try await crashLoopingTree(children: 2)
        // Consumers are cancelled while they wait for the next event of the crash loop: cancelling
        // used to take the tree's lock inside the runtime's cancellation, while the tree yielded
        // under that lock (a lock-order inversion that hung both).
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<150 {
                        let (seen, signal) = AsyncStream.makeStream(of: Void.self)
                        let events = tree.events()
                        let consumer = Task {
                            for await _ in events { signal.yield() }
                        }
                        var first = seen.makeAsyncIterator()
                        _ = await first.next()
                        consumer.cancel()
                        await consumer.value
                    }
                }
            }
        }
        // One more event drops every ended subscriber.
        var last = tree.events().makeAsyncIterator()
        _ = await last.next()
        _ = await last.next()
        #expect(tree.core.withState { $0.hub.subscriberCount } == 1)
        await tree.shutdown()
    }

    @Test("a subscriber waiting for events is not ended when another subscriber goes away")
    func otherSubscriberEnding() async throws {
        // The hub once re-delivered an empty batch to every subscriber after one had ended,
        // which woke a waiting reader with nil: its stream ended (seen as remote clients whose
        // event streams stopped while 50 clients came and went).
        let buffer = EventBuffer(capacity: 8)
        let reader = Task { await buffer.next() }
        while !buffer.hasWaitingReader { await Task.yield() }
        #expect(buffer.deliver([]))
        let event = SupervisorEvent(sequence: 1, time: .zero, kind: .childAdded(path: "root/a"))
        #expect(buffer.deliver([event]))
        #expect(await reader.value == event)

        var hub = EventHub()
        let ended = EventBuffer(capacity: 8)
        let waiting = EventBuffer(capacity: 8)
        hub.subscribe(ended)
        hub.subscribe(waiting)
        ended.terminate()
        hub.emit(.childAdded(path: "root/b"), at: .zero)
        hub.flush()
        #expect(hub.subscriberCount == 1, "the ended subscriber is dropped")
        #expect(await waiting.next()?.kind == .childAdded(path: "root/b"))
    }
}
