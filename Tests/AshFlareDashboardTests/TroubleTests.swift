import AshFlare
import AshFlareDashboard
import Testing

@Suite("Problems first: jump to trouble, collapse all with roll-ups, flapping, forecast")
struct TroubleTests {
    @Test("n walks the nodes in trouble in tree order and wraps; N walks back")
    func nextTrouble() {
        var state = Fixture.state()
        var visited: [String] = []
        for _ in 0..<8 {
            Fixture.press(&state, [.character("n")])
            visited.append(state.selection?.path?.description ?? "-")
        }
        #expect(visited == [
            "shop/acceptors/acceptor-2", "shop/db", "shop/db/pool", "shop/db/pool/pool-worker-1",
            "shop/payments/gateway", "shop/reports", "shop/legacy-bridge", "shop/acceptors/acceptor-2",
        ])
        Fixture.press(&state, [.character("N")])
        #expect(state.selection?.path == "shop/legacy-bridge")
        #expect(state.status?.text.contains("trouble 7/7: shop/legacy-bridge abandoned") == true)
    }

    @Test("n unfolds the supervisors above a node in trouble so it shows")
    func nextTroubleUnfolds() {
        var state = Fixture.state()
        Fixture.press(&state, [.character("C")])
        #expect(!state.visibleRows().contains { $0.id.path == "shop/db/pool/pool-worker-1" })
        Fixture.press(&state, [.character("n"), .character("n"), .character("n"), .character("n")])
        #expect(state.selection?.path == "shop/db/pool/pool-worker-1")
        #expect(state.visibleRows().contains { $0.id.path == "shop/db/pool/pool-worker-1" })
    }

    @Test("n on a healthy tree says nothing is in trouble")
    func nothingInTrouble() {
        let snapshot = TreeSnapshot(sequence: 1, time: .seconds(100), root: Fixture.supervisor("calm", children: [Fixture.worker("calm/a")]))
        var state = Fixture.state(snapshot)
        Fixture.press(&state, [.character("n")])
        #expect(state.selection?.path == "calm")
        #expect(state.status?.text.hasPrefix("nothing in trouble") == true)
    }

    @Test("C folds every supervisor below the root, E unfolds them all")
    func collapseAndExpandAll() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/db/pool/pool-worker-1")
        Fixture.press(&state, [.character("C")])
        #expect(state.visibleRows().compactMap { $0.id.path?.description } == [
            "shop", "shop/acceptors", "shop/db", "shop/payments", "shop/reports", "shop/cache-loader", "shop/legacy-bridge", "shop/支付-网关",
        ])
        #expect(state.selection?.path == "shop/db")
        Fixture.press(&state, [.character("E")])
        #expect(state.collapsed.isEmpty)
        #expect(state.visibleRows().count == 14)
    }

    @Test("a folded supervisor rolls up what is down or backing off below it, with the worst glyph")
    func rollUp() throws {
        var state = Fixture.state()
        Fixture.press(&state, [.character("C")])
        let lines = Renderer.render(state, width: 120, height: 36).map(\.text)
        let payments = try #require(lines.first { $0.contains(" payments ") })
        #expect(payments.contains("◔ 1 backoff below"))
        let db = try #require(lines.first { $0.contains(" db ") })
        #expect(!db.contains("below"))
        #expect(db.contains("2/3 in 5s"))
        let model = state.nodes[0].model
        let roll = RollUp(below: try #require(model.index(of: "shop")), in: model)
        #expect(roll.down == 3)
        #expect(roll.backingOff == 1)
        #expect(roll.worst == .failed)
    }

    @Test("a child with three restarts in the last minute is marked flapping, in the row and the detail pane")
    func flapping() throws {
        var state = Fixture.state()
        var sequence: UInt64 = 500
        for second in [95, 97, 99] {
            let events: [SupervisorEvent.Kind] = [
                .childExited(path: "shop/acceptors/acceptor-1", incarnation: 1, reason: .error("boom")),
                .restartScheduled(path: "shop/acceptors/acceptor-1", delay: .zero),
                .childStarted(path: "shop/acceptors/acceptor-1", incarnation: 1),
            ]
            state.apply(.events(node: 0, events.map { kind in
                sequence += 1
                return SupervisorEvent(sequence: sequence, time: .seconds(Int64(second)), kind: kind)
            }))
        }
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        let lines = Renderer.render(state, width: 120, height: 36).map(\.text)
        let row = try #require(lines.first { $0.contains("● acceptor-1") })
        #expect(row.contains("3↯"))
        #expect(!(lines.first { $0.contains("acceptor-2") } ?? "").contains("↯"))
        #expect(lines.contains { $0.contains("restarts  3 (3 in the last 60s)") })
        #expect(lines.contains { $0.contains("flapping  ↯ keeps restarting") })
        // Its supervisor restarted it afresh: the earlier restarts at the path are not its own.
        sequence += 1
        state.apply(.snapshot(node: 0, Fixture.shop(sequence: sequence)))
        let after = Renderer.render(state, width: 120, height: 36).map(\.text)
        #expect(!(after.first { $0.contains("● acceptor-1") } ?? "").contains("↯"))
    }

    @Test("the forecast: a full window escalates on the next restart, a filling one in gap × restarts left")
    func forecast() {
        let three = RestartIntensity(maxRestarts: 3, within: .seconds(5))
        #expect(EscalationForecast.timeToEscalation(window: [.seconds(97), .seconds(98), .seconds(99)], intensity: three, now: .seconds(100)) == .zero)
        #expect(EscalationForecast.timeToEscalation(window: [.seconds(98), .seconds(99)], intensity: three, now: .seconds(99)) == .seconds(2))
        // Too slow to ever exceed 3 in 5 s: no forecast.
        #expect(EscalationForecast.timeToEscalation(window: [.seconds(96), .seconds(98)], intensity: three, now: .seconds(99)) == nil)
        // Less than half full: no forecast.
        let ten = RestartIntensity(maxRestarts: 10, within: .seconds(30))
        #expect(EscalationForecast.timeToEscalation(window: [.seconds(90), .seconds(95)], intensity: ten, now: .seconds(100)) == nil)
    }

    @Test("the detail pane shows the forecast of a supervisor whose window is filling")
    func forecastInDetail() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/db/pool")
        #expect(Renderer.renderText(state, width: 120, height: 36).contains("forecast  the next restart escalates"))
        Fixture.select(&state, "shop/acceptors")
        #expect(!Renderer.renderText(state, width: 120, height: 36).contains("forecast"))
    }
}
