import AshFlare
import AshFlareDashboard
import Testing

/// The replay's timeline and keys, on a hand-built recording: pure, no terminal.
@Suite("Replay: timeline, play and pause, step, speed, jump")
struct ReplayTests {
    static let gateway: ChildPath = "shop/payments/gateway"
    static let pool: ChildPath = "shop/db/pool/pool-worker-1"

    /// The shop at 100 s, then 8 events one second apart (gateway started, the pool worker
    /// crashing and restarting twice), with a check line after the fourth.
    static func recording() -> Recording {
        let snapshot = Fixture.shop()
        var entries: [RecordingEntry] = [.snapshot(snapshot)]
        let kinds: [SupervisorEvent.Kind] = [
            .childStarted(path: gateway, incarnation: 9),
            .childExited(path: pool, incarnation: 4, reason: .error("connection refused")),
            .restartScheduled(path: pool, delay: .zero),
            .childStarted(path: pool, incarnation: 5),
            .childExited(path: pool, incarnation: 5, reason: .killed),
            .restartScheduled(path: pool, delay: .seconds(1)),
            .childStarted(path: pool, incarnation: 6),
            .childExited(path: gateway, incarnation: 9, reason: .error("gateway timeout")),
        ]
        for (offset, kind) in kinds.enumerated() {
            let event = SupervisorEvent(sequence: snapshot.sequence + UInt64(offset) + 1, time: .seconds(101 + Int64(offset)), kind: kind)
            entries.append(.event(event))
            if offset == 3 {
                var model = TreeModel(snapshot)
                for case .event(let earlier) in entries { model.apply(earlier) }
                entries.append(.check(TreeSnapshot(sequence: event.sequence, time: event.time, root: model.snapshotRoot(at: event.time)!)))
            }
        }
        return Recording(header: RecordingHeader(tree: "shop", startedAt: "2026-12-02T00:00:00Z", source: "test", checkEvery: 4), entries: entries)
    }

    static func state(width: Int = 100, height: Int = 24) throws -> DashboardState {
        var state = try DashboardState(replaying: recording())
        state.resize(width: width, height: height)
        return state
    }

    @Test("it opens paused at the first snapshot, read-only; space plays and time applies the events due")
    func playAndPause() throws {
        var state = try Self.state()
        #expect(state.replay?.playing == false)
        #expect(state.options.readOnly)
        #expect(state.nodes[0].model.node(at: Self.gateway)?.state == .backingOff(until: .milliseconds(101_500)))
        state.tick(wall: .seconds(5))
        #expect(state.replay?.eventsApplied == 0)
        Fixture.press(&state, [.character(" ")])
        #expect(state.replay?.playing == true)
        state.tick(wall: .milliseconds(7_500))  // 2.5 s of tree time: events at 101 s and 102 s
        #expect(state.replay?.eventsApplied == 2)
        #expect(state.nodes[0].model.node(at: Self.gateway)?.state == .running)
        #expect(state.nodes[0].treeTime(atWall: state.wall) == .milliseconds(102_500))
        Fixture.press(&state, [.character(" ")])
        state.tick(wall: .seconds(20))
        #expect(state.replay?.eventsApplied == 2)
    }

    @Test("+ doubles the speed, - halves it; playing to the end stops")
    func speedAndEnd() throws {
        var state = try Self.state()
        Fixture.press(&state, [.character("+"), .character("+"), .character(" ")])
        #expect(state.replay?.speed == 4)
        state.tick(wall: .seconds(1))  // 4 s of tree time
        #expect(state.replay?.eventsApplied == 4)
        Fixture.press(&state, [.character("-")])
        #expect(state.replay?.speed == 2)
        state.tick(wall: .seconds(60))
        #expect(state.replay?.atEnd == true)
        #expect(state.replay?.playing == false)
        #expect(state.status?.text.hasPrefix("end of the recording") == true)
    }

    @Test(". steps one event; , takes it back, and the tree equals the one played forward to there")
    func stepForwardAndBack() throws {
        var state = try Self.state()
        for _ in 0..<6 { Fixture.press(&state, [.character(".")]) }
        #expect(state.replay?.eventsApplied == 6)
        let atSix = state.nodes[0].model.snapshotRoot(at: .seconds(200))
        Fixture.press(&state, [.character(".")])
        #expect(state.nodes[0].model.node(at: Self.pool)?.incarnation == 6)
        Fixture.press(&state, [.character(",")])
        #expect(state.replay?.eventsApplied == 6)
        #expect(state.nodes[0].model.snapshotRoot(at: .seconds(200)) == atSix)
        for _ in 0..<6 { Fixture.press(&state, [.character(",")]) }
        #expect(state.replay?.eventsApplied == 0)
        #expect(state.nodes[0].model.snapshotRoot(at: .seconds(200)) == TreeModel(Fixture.shop()).snapshotRoot(at: .seconds(200)))
        #expect(state.log.count == 0)
    }

    @Test("t jumps to a percentage or a time from the start; anything else is refused with a hint")
    func jump() throws {
        var state = try Self.state()
        Fixture.press(&state, [.character("t")] + Key.typing("50%") + [.enter])
        #expect(state.replay?.time == .seconds(104))
        #expect(state.replay?.eventsApplied == 4)
        Fixture.press(&state, [.character("t")] + Key.typing("1:02") + [.enter])  // past the end
        #expect(state.replay?.atEnd == true)
        Fixture.press(&state, [.character("t")] + Key.typing("2.5s") + [.enter])
        #expect(state.replay?.eventsApplied == 2)
        #expect(state.log.count == 2)
        Fixture.press(&state, [.character("t")] + Key.typing("soon") + [.enter])
        #expect(state.status?.tone == .error)
        #expect(state.replay?.eventsApplied == 2)
    }

    @Test("jump targets: percent, seconds, m:ss; nonsense is nil")
    func jumpParsing() {
        let start = Duration.seconds(10), end = Duration.seconds(110)
        #expect(ReplayJump.parse("25%", start: start, end: end) == .seconds(35))
        #expect(ReplayJump.parse(" 90 ", start: start, end: end) == .seconds(100))
        #expect(ReplayJump.parse("1:30", start: start, end: end) == .seconds(100))
        #expect(ReplayJump.parse("12.5s", start: start, end: end) == .milliseconds(22_500))
        for bad in ["", "x", "120%", "-3", "1:75", "1:2:3"] { #expect(ReplayJump.parse(bad, start: start, end: end) == nil, "\(bad)") }
    }

    @Test("destructive keys are off in a replay, and l says a recording holds no logs")
    func readOnly() throws {
        var state = try Self.state()
        Fixture.select(&state, Self.gateway)
        #expect(Fixture.press(&state, [.character("x")]).isEmpty)
        #expect(state.overlay == nil)
        #expect(Fixture.press(&state, [.character("l")]).isEmpty)
        #expect(state.logsPane == nil)
    }

    @Test("a recording must begin with a snapshot")
    func needsASnapshot() {
        let recording = Recording(header: RecordingHeader(tree: "x", startedAt: "", source: "", checkEvery: 1), entries: [])
        #expect(throws: ReplayError.self) { try DashboardState(replaying: recording) }
    }

    @Test("the timeline bar: play state, speed, bar, time and events; t's prompt (frame)")
    func timelineFrame() throws {
        var state = try Self.state()
        Fixture.press(&state, [.character("t")] + Key.typing("50%") + [.enter])
        let paused = FrameText.plain(Array(Renderer.render(state, width: 100, height: 24).prefix(2)))
        Fixture.press(&state, [.character("+"), .character(" ")])
        let playing = Renderer.renderText(state, width: 100, height: 24)
        Fixture.press(&state, [.character("t")] + Key.typing("1:0"))
        let prompt = FrameText.plain(Array(Renderer.render(state, width: 100, height: 24).prefix(2)))
        expectFrame(paused + "\n----\n" + playing + "\n----\n" + prompt, named: "replay-timeline")
    }

    @Test("shutdownFinished of a supervisor removes its children and resets its window, as a snapshot then shows")
    func shutdownFinishedEmptiesTheSupervisor() {
        var model = TreeModel(Fixture.shop())
        #expect(model.node(at: "shop/db/pool")?.children.count == 1)
        model.apply(SupervisorEvent(sequence: 501, time: .seconds(101), kind: .shutdownFinished(supervisor: "shop/db/pool")))
        #expect(model.node(at: "shop/db/pool")?.children.isEmpty == true)
        #expect(model.node(at: "shop/db/pool")?.supervisor?.recentRestarts.isEmpty == true)
        #expect(model.node(at: Self.pool) == nil)
        #expect(!model.needsResync)
    }
}
