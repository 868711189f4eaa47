import AshFlare
import AshFlareDashboard
import Testing

@Suite("Sort orders, marks and the bulk kill")
struct SortAndMarkTests {
    func topLevel(_ state: DashboardState) -> [String] {
        state.visibleRows().filter { $0.depth == 1 }.compactMap { $0.id.path?.id }
    }

    @Test("o cycles spec → restarts → uptime → state → escalation → spec, siblings only")
    func cycle() {
        var state = Fixture.state()
        #expect(topLevel(state) == ["acceptors", "db", "payments", "reports", "cache-loader", "legacy-bridge", "支付-网关"])
        Fixture.press(&state, [.character("o")])
        #expect(state.sort == .restarts)
        Fixture.press(&state, [.character("o")])
        #expect(state.sort == .uptime)
        Fixture.press(&state, [.character("o")])
        #expect(state.sort == .state)
        #expect(topLevel(state) == ["reports", "legacy-bridge", "cache-loader", "acceptors", "db", "payments", "支付-网关"])
        Fixture.press(&state, [.character("o")])
        #expect(state.sort == .escalation)
        #expect(topLevel(state).prefix(3) == ["db", "reports", "payments"])
        #expect(state.visibleRows().first { $0.id.path == "shop/db/pool" }.map { $0.depth } == 2)
        Fixture.press(&state, [.character("o")])
        #expect(state.sort == .spec)
        #expect(topLevel(state) == ["acceptors", "db", "payments", "reports", "cache-loader", "legacy-bridge", "支付-网关"])
    }

    @Test("sorting by restarts puts the most restarted child of the last minute first, ties in spec order")
    func restartsOrder() {
        var state = Fixture.state()
        state.apply(.events(node: 0, [
            SupervisorEvent(sequence: 501, time: .seconds(100), kind: .restartScheduled(path: "shop/acceptors/acceptor-2", delay: .seconds(1))),
        ]))
        Fixture.press(&state, [.character("o")])
        let acceptors = state.visibleRows().filter { $0.id.path?.parent == "shop/acceptors" }.compactMap { $0.id.path?.id }
        #expect(acceptors == ["acceptor-2", "acceptor-1"])
        #expect(Renderer.renderText(state, width: 120, height: 36).contains("NAME by restarts"))
    }

    @Test("Space marks a row and moves down; Esc clears the marks")
    func marks() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        Fixture.press(&state, [.character(" "), .character(" ")])
        #expect(state.marked == [RowID(node: 0, path: "shop/acceptors/acceptor-1"), RowID(node: 0, path: "shop/acceptors/acceptor-2")])
        #expect(state.selection?.path == "shop/db")
        #expect(Renderer.renderText(state, width: 120, height: 36).contains("◆     ● acceptor-1"))
        Fixture.press(&state, [.escape])
        #expect(state.marked.isEmpty)
    }

    @Test("x with marked rows asks once, listing every one, and y sends every kill in one go")
    func bulkKill() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        Fixture.press(&state, [.character(" ")])
        Fixture.select(&state, "shop/db/pool/pool-worker-1")
        Fixture.press(&state, [.character(" ")])
        Fixture.select(&state, "shop/reports")
        Fixture.press(&state, [.character(" ")])
        #expect(Fixture.press(&state, [.character("x")]).isEmpty)
        let text = Renderer.renderText(state, width: 120, height: 36)
        #expect(text.contains("Kill these 2 nodes in one instant?"))
        #expect(text.contains("shop/acceptors/acceptor-1 (#1)"))
        #expect(text.contains("shop/db/pool/pool-worker-1 (#4)"))
        #expect(text.contains("left out: shop/reports is failed"))
        let commands = Fixture.press(&state, [.character("y")])
        #expect(commands == [
            .perform(ControlRequest(id: 1, node: 0, action: .kill, target: "shop/acceptors/acceptor-1", incarnation: 1, execution: 0)),
            .perform(ControlRequest(id: 2, node: 0, action: .kill, target: "shop/db/pool/pool-worker-1", incarnation: 4, execution: 0)),
        ])
        #expect(state.marked.isEmpty)
        #expect(state.overlay == nil)
    }

    @Test("n cancels a bulk kill and keeps the marks; --readonly refuses it")
    func bulkCancelAndReadOnly() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        Fixture.press(&state, [.character(" "), .character("x")])
        #expect(Fixture.press(&state, [.character("n")]).isEmpty)
        #expect(state.marked.count == 1)
        var readOnly = Fixture.state(options: DashboardOptions(readOnly: true))
        Fixture.select(&readOnly, "shop/acceptors/acceptor-1")
        Fixture.press(&readOnly, [.character(" ")])
        #expect(Fixture.press(&readOnly, [.character("x")]).isEmpty)
        #expect(readOnly.overlay == nil)
        #expect(readOnly.status?.tone == .error)
    }
}
