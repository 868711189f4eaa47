import AshFlare
import AshFlareDashboard
import Testing

@Suite("Reducer: key sequences to commands")
struct ReducerTests {
    func perform(_ commands: [DashboardCommand]) -> ControlRequest? {
        commands.compactMap { if case .perform(let request) = $0 { request } else { nil } }.first
    }

    @Test("j, k, End and Home move the selection over the visible rows")
    func movement() {
        var state = Fixture.state()
        #expect(state.selection?.path == "shop")
        Fixture.press(&state, [.character("j"), .down])
        #expect(state.selection?.path == "shop/acceptors/acceptor-1")
        Fixture.press(&state, [.character("k")])
        #expect(state.selection?.path == "shop/acceptors")
        Fixture.press(&state, [.end])
        #expect(state.selection?.path == "shop/支付-网关")
        Fixture.press(&state, [.home])
        #expect(state.selection?.path == "shop")
    }

    @Test("← collapses, ← again goes to the parent, → expands, Enter toggles")
    func folding() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/db")
        Fixture.press(&state, [.left])
        #expect(state.collapsed.contains(RowID(node: 0, path: "shop/db")))
        Fixture.press(&state, [.left])
        #expect(state.selection?.path == "shop")
        Fixture.select(&state, "shop/db")
        Fixture.press(&state, [.right])
        #expect(state.collapsed.isEmpty)
        Fixture.press(&state, [.right])
        #expect(state.selection?.path == "shop/db/conn-manager")
        Fixture.select(&state, "shop/db")
        Fixture.press(&state, [.enter])
        #expect(!state.visibleRows().contains { $0.id.path == "shop/db/conn-manager" })
        Fixture.press(&state, [.enter])
        #expect(state.visibleRows().contains { $0.id.path == "shop/db/conn-manager" })
    }

    @Test("x asks first; y sends a kill bound to the path and incarnation")
    func killConfirmed() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/db/pool/pool-worker-1")
        #expect(Fixture.press(&state, [.character("x")]).isEmpty)
        guard case .confirm = state.overlay else {
            Issue.record("expected a confirmation")
            return
        }
        let request = perform(Fixture.press(&state, [.character("y")]))
        #expect(request?.action == .kill)
        #expect(request?.target == "shop/db/pool/pool-worker-1")
        #expect(request?.incarnation == 4)
        #expect(state.overlay == nil)
    }

    @Test("n or Esc cancels a confirmation without a command; other keys keep asking")
    func killCancelled() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        for cancel in [Key.character("n"), .escape] {
            Fixture.press(&state, [.character("x")])
            #expect(Fixture.press(&state, [.character("j")]).isEmpty)
            #expect(state.overlay != nil)
            #expect(Fixture.press(&state, [cancel]).isEmpty)
            #expect(state.overlay == nil)
            #expect(state.status?.text.hasPrefix("cancelled") == true)
        }
    }

    @Test("the target moved while confirming: the action still hits the node the user saw")
    func targetMovedWhileConfirming() throws {
        var state = Fixture.state()
        Fixture.select(&state, "shop/payments/gateway")
        let rowBefore = try #require(state.selectedRowIndex(in: state.visibleRows()))
        Fixture.press(&state, [.character("t")])
        // Meanwhile a child is added above it: every row below moves down by one.
        let moved = Fixture.shop(extraFirst: Fixture.worker("shop/aaa-new", startedAt: .seconds(100)), sequence: 510)
        state.apply(.snapshot(node: 0, moved))
        #expect(state.visibleRows()[rowBefore].id.path != "shop/payments/gateway")
        let request = try #require(perform(Fixture.press(&state, [.character("y")])))
        #expect(request.action == .terminate)
        #expect(request.target == "shop/payments/gateway")
        #expect(request.incarnation == 8)
    }

    @Test("the target restarted while confirming: the request keeps the incarnation the user saw")
    func targetRestartedWhileConfirming() throws {
        var state = Fixture.state()
        Fixture.select(&state, "shop/db/pool/pool-worker-1")
        Fixture.press(&state, [.character("x")])
        state.apply(.events(node: 0, [
            SupervisorEvent(sequence: 501, time: .seconds(100), kind: .childExited(path: "shop/db/pool/pool-worker-1", incarnation: 4, reason: .error("boom"))),
            SupervisorEvent(sequence: 502, time: .seconds(100), kind: .restartScheduled(path: "shop/db/pool/pool-worker-1", delay: .zero)),
            SupervisorEvent(sequence: 503, time: .seconds(100), kind: .childStarted(path: "shop/db/pool/pool-worker-1", incarnation: 5)),
        ]))
        let text = Renderer.renderText(state, width: 120, height: 36)
        #expect(text.contains("It restarted since (now #5)"))
        let request = try #require(perform(Fixture.press(&state, [.character("y")])))
        #expect(request.incarnation == 4)
    }

    @Test("--no-confirm sends destructive actions at once")
    func noConfirm() {
        var state = Fixture.state(options: DashboardOptions(confirmDestructive: false))
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        let request = perform(Fixture.press(&state, [.character("x")]))
        #expect(request?.action == .kill)
        #expect(request?.target == "shop/acceptors/acceptor-1")
    }

    @Test("--readonly disables every action key and says so", arguments: ["x", "r", "t", "d", "a", "s"])
    func readOnly(key: String) {
        var state = Fixture.state(options: DashboardOptions(readOnly: true))
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        #expect(Fixture.press(&state, [.character(key.first!)]).isEmpty)
        #expect(state.overlay == nil)
        #expect(state.status?.text.contains("read-only") == true)
    }

    @Test("keys that do not apply explain why instead of sending a doomed request")
    func refusals() {
        var state = Fixture.state(options: DashboardOptions(confirmDestructive: false))
        #expect(Fixture.press(&state, [.character("x")]).isEmpty)  // the root
        #expect(state.status?.text.contains("root") == true)
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        #expect(Fixture.press(&state, [.character("d")]).isEmpty)
        #expect(state.status?.text.contains("terminate it first") == true)
        #expect(Fixture.press(&state, [.character("s")]).isEmpty)
        #expect(state.status?.text.contains("supervisor") == true)
        Fixture.select(&state, "shop/payments/gateway")
        #expect(Fixture.press(&state, [.character("x")]).isEmpty)
        #expect(state.status?.text.contains("not running") == true)
    }

    @Test("r restarts a stopped child without asking and asks before restarting a running one")
    func restart() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/cache-loader")
        #expect(perform(Fixture.press(&state, [.character("r")]))?.action == .restart)
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        #expect(Fixture.press(&state, [.character("r")]).isEmpty)
        #expect(perform(Fixture.press(&state, [.character("y")]))?.action == .bounce)
    }

    @Test("d deletes a stopped child and s shuts a subtree down after confirmation")
    func deleteAndShutdown() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/legacy-bridge")
        Fixture.press(&state, [.character("d")])
        #expect(perform(Fixture.press(&state, [.character("y")]))?.action == .delete)
        Fixture.select(&state, "shop/db")
        Fixture.press(&state, [.character("s")])
        #expect(perform(Fixture.press(&state, [.character("y")])) == ControlRequest(id: 2, node: 0, action: .shutdown, target: "shop/db", incarnation: 1, execution: 0))
    }

    @Test("a opens the template picker; a template with parameters asks for arguments")
    func addFromTemplate() throws {
        var state = Fixture.state()
        Fixture.select(&state, "shop/acceptors/acceptor-2")
        Fixture.press(&state, [.character("a")])
        guard case .picker(let picker) = state.overlay else {
            Issue.record("expected the picker")
            return
        }
        #expect(picker.supervisor == "shop/acceptors")
        let first = try #require(perform(Fixture.press(&state, [.enter])))
        #expect(first.action == .startChild(template: "acceptor", arguments: []))
        Fixture.press(&state, [.character("a"), .down, .enter])
        guard case .arguments = state.overlay else {
            Issue.record("expected the arguments prompt")
            return
        }
        let second = try #require(perform(Fixture.press(&state, Key.typing("30") + [.enter])))
        #expect(second.action == .startChild(template: "job", arguments: ["30"]))
        #expect(second.target == "shop/acceptors")
    }

    @Test("a on a supervisor without templates says so")
    func addWithoutTemplates() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/db")
        #expect(Fixture.press(&state, [.character("a")]).isEmpty)
        #expect(state.status?.text.contains("no worker templates") == true)
    }

    @Test("/ filters live; Esc clears; Enter keeps the filter and frees the keys")
    func filterKeys() {
        var state = Fixture.state()
        Fixture.press(&state, [.character("/")] + Key.typing("gate"))
        #expect(state.filter == "gate")
        #expect(state.selection?.path == "shop/payments/gateway")
        #expect(state.visibleRows().count == 3)
        Fixture.press(&state, [.enter])
        #expect(!state.editingFilter)
        #expect(Fixture.press(&state, [.character("q")]) == [.quit])
        Fixture.press(&state, [.escape])
        #expect(state.filter.isEmpty)
        Fixture.press(&state, [.character("/"), .character("x"), .escape])
        #expect(state.filter.isEmpty && !state.editingFilter)
    }

    @Test("q quits, ? toggles help, + and - change the refresh rate, p freezes the view")
    func misc() {
        var state = Fixture.state()
        #expect(Fixture.press(&state, [.character("q")]) == [.quit])
        Fixture.press(&state, [.character("?")])
        #expect(state.overlay == .help)
        #expect(Fixture.press(&state, [.character("x")]).isEmpty)
        Fixture.press(&state, [.escape])
        #expect(state.overlay == nil)
        #expect(Fixture.press(&state, [.character("+")]) == [.setRefreshInterval(.milliseconds(500))])
        #expect(Fixture.press(&state, [.character("-"), .character("-")]).last == .setRefreshInterval(.seconds(2)))
        Fixture.press(&state, [.character("p")])
        state.apply(.events(node: 0, [SupervisorEvent(
            sequence: 501, time: .seconds(100), kind: .childExited(path: "shop/acceptors/acceptor-1", incarnation: 1, reason: .killed))]))
        #expect(state.visibleNodes[0].model.node(at: "shop/acceptors/acceptor-1")?.state == .running)
        #expect(state.nodes[0].model.node(at: "shop/acceptors/acceptor-1")?.state == .stopped)
        #expect(Renderer.renderText(state, width: 120, height: 36).contains("PAUSED"))
        Fixture.press(&state, [.character("p")])
        #expect(state.visibleNodes[0].model.node(at: "shop/acceptors/acceptor-1")?.state == .stopped)
    }

    @Test("Tab moves the keys to the event log, where ↑ scrolls back and End follows again")
    func logPane() {
        var state = Fixture.state()
        for index in 0..<40 {
            state.apply(.events(node: 0, [SupervisorEvent(
                sequence: 501 + UInt64(index), time: .seconds(100), kind: .intensityChanged(supervisor: "shop", restarts: 0, maxRestarts: 10))]))
        }
        Fixture.press(&state, [.tab])
        #expect(state.focus == .log)
        Fixture.press(&state, [.up, .up, .character("k")])
        #expect(state.logScroll == 3)
        #expect(state.selection?.path == "shop")
        Fixture.press(&state, [.end])
        #expect(state.logScroll == 0)
        Fixture.press(&state, [.tab])
        #expect(state.focus == .tree)
    }

    @Test("f limits the event log to the selected subtree")
    func logFollowsSelection() {
        var state = Fixture.state()
        state.apply(.events(node: 0, [
            SupervisorEvent(sequence: 501, time: .seconds(100), kind: .childExited(path: "shop/acceptors/acceptor-1", incarnation: 1, reason: .killed)),
            SupervisorEvent(sequence: 502, time: .seconds(100), kind: .childExited(path: "shop/db/conn-manager", incarnation: 1, reason: .killed)),
        ]))
        Fixture.select(&state, "shop/db")
        Fixture.press(&state, [.character("f")])
        let text = Renderer.renderText(state, width: 120, height: 36)
        #expect(text.contains("Events: shop/db subtree"))
        #expect(text.contains("shop/db/conn-manager exited"))
        #expect(!text.contains("acceptor-1 exited"))
    }

    @Test("a result shows in the status line and the log, and asks for no snapshot (its events update the model)")
    func results() {
        var state = Fixture.state()
        let request = ControlRequest(id: 1, node: 0, action: .kill, target: "shop/acceptors/acceptor-1", incarnation: 1)
        let commands = state.apply(.result(ControlResult(request: request, succeeded: false, message: "kill failed: childNotRunning")))
        #expect(commands.isEmpty)
        #expect(state.status == StatusMessage("kill failed: childNotRunning", .error))
        #expect(Renderer.renderText(state, width: 120, height: 36).contains("✗ kill failed: childNotRunning"))
    }
}
