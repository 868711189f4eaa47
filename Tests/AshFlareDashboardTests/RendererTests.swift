import AshFlare
import AshFlareDashboard
import Testing

@Suite("Renderer: frames as text")
struct RendererTests {
    /// The fixture with a kill of acceptor-1 applied as events, so the log has lines.
    func busyState(width: Int = 120, height: Int = 36, options: DashboardOptions = DashboardOptions()) -> DashboardState {
        var state = Fixture.state(width: width, height: height, options: options)
        state.apply(.events(node: 0, [
            SupervisorEvent(sequence: 501, time: .seconds(100), kind: .childExited(path: "shop/acceptors/acceptor-1", incarnation: 1, reason: .killed)),
            SupervisorEvent(sequence: 502, time: .seconds(100), kind: .intensityChanged(supervisor: "shop/acceptors", restarts: 1, maxRestarts: 5)),
            SupervisorEvent(sequence: 503, time: .seconds(100), kind: .restartScheduled(path: "shop/acceptors/acceptor-1", delay: .milliseconds(100))),
        ]))
        return state
    }

    func frame(_ state: DashboardState) -> String {
        Renderer.renderText(state, width: state.width, height: state.height)
    }

    @Test("a wide terminal shows header, sparklines, tree with gauges, detail pane, event log and key hints")
    func wideTree() {
        var state = busyState()
        Fixture.select(&state, "shop/payments/gateway")
        expectFrame(frame(state), named: "wide-tree")
    }

    @Test("an 80x24 terminal drops the detail pane and keeps every state word")
    func narrowTree() {
        expectFrame(frame(busyState(width: 80, height: 24)), named: "narrow-tree")
    }

    @Test("a collapsed supervisor hides its subtree and shows the collapsed marker")
    func collapsed() {
        var state = busyState()
        Fixture.select(&state, "shop/db")
        Fixture.press(&state, [.left])
        let text = frame(state)
        #expect(!text.contains("conn-manager"))
        #expect(text.contains("▸● db"))
        expectFrame(text, named: "collapsed-db")
    }

    @Test("the filter keeps matching nodes and their ancestors and highlights the match")
    func filter() {
        var state = busyState()
        Fixture.press(&state, [.character("/")] + Key.typing("pool"))
        let text = frame(state)
        #expect(text.contains("pool-worker"))
        #expect(!text.contains("acceptor-2"))
        #expect(!text.contains("gateway"))
        #expect(text.contains(" /pool"))
        expectFrame(text, named: "filter-pool")
        let styled = FrameText.annotated(Renderer.render(state, width: 120, height: 36))
        #expect(styled.contains("{accent|pool}"))
    }

    @Test("? opens an overlay listing every key")
    func helpOverlay() {
        var state = busyState()
        Fixture.press(&state, [.character("?")])
        let text = frame(state)
        for key in ["x", "r", "t", "d", "a", "s", "/", "Tab", "q  Ctrl-C"] { #expect(text.contains(key)) }
        expectFrame(text, named: "help-overlay")
    }

    @Test("a destructive key shows a confirmation box naming the node and its incarnation")
    func confirmOverlay() {
        var state = busyState()
        Fixture.select(&state, "shop/db/pool/pool-worker-1")
        Fixture.press(&state, [.character("x")])
        let text = frame(state)
        #expect(text.contains("Kill shop/db/pool/pool-worker-1 (#4)?"))
        expectFrame(text, named: "confirm-kill")
    }

    @Test("a terminal below 40x10 gets one clear line instead of a broken layout")
    func tinyTerminal() {
        let state = busyState(width: 30, height: 8)
        let lines = Renderer.render(state, width: 30, height: 8)
        #expect(lines.count == 8)
        #expect(lines.allSatisfy { $0.width <= 30 })
        expectFrame(FrameText.plain(lines), named: "tiny")
    }

    @Test("--ascii draws with ASCII only, names included")
    func asciiMode() {
        var state = busyState(options: DashboardOptions(ascii: true))
        Fixture.select(&state, "shop/payments/gateway")
        let text = frame(state)
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        expectFrame(text, named: "ascii")
    }

    @Test("NO_COLOR: the same text, no colour in any style, state still readable from glyph and word")
    func noColor() {
        let options = DashboardOptions.fromEnvironment(["NO_COLOR": "1"])
        #expect(options.color == false)
        let plain = busyState(options: options)
        let colored = busyState()
        #expect(frame(plain) == frame(colored))
        for role in Role.allCases {
            #expect(Theme.style(for: role, color: false).foreground == nil)
            #expect(Theme.style(for: role, selected: true, color: false) != Theme.style(for: role, color: false))
        }
        let text = frame(plain)
        for word in ["running", "backoff 1.5s", "stopped", "FAILED", "abandoned"] { #expect(text.contains(word), "\(word)") }
        expectFrame(FrameText.annotated(Array(Renderer.render(plain, width: 120, height: 36)[2...12])), named: "no-color-styles")
    }

    @Test("intensity gauges turn warning at half and critical at the limit")
    func gaugeRoles() {
        let styled = FrameText.annotated(Renderer.render(busyState(), width: 120, height: 36))
        #expect(styled.contains("{critical|▮▮▮ 3/3 in 5s}"))
        #expect(styled.contains("{warning|▮▮}{dim|▯}{warning| 2/3 in 5s}"))
    }

    @Test("several trees each get a header row with their connection state")
    func multiNode() {
        var state = DashboardState(names: ["shop@a", "shop@b"])
        state.resize(width: 100, height: 30)
        state.apply(.snapshot(node: 0, Fixture.shop()))
        state.apply(.disconnected(node: 1, reason: "connection refused"))
        let text = Renderer.renderText(state, width: 100, height: 30)
        #expect(text.contains("shop@b  disconnected: connection refused"))
        expectFrame(text, named: "multi-node")
    }

    @Test("odd and wide names never push a line past the frame, at any size")
    func oddNamesAnySize() {
        let odd: [String] = ["\u{202E}evil-bidi", "tab\there", "🔥fire-starter", "e\u{301}clair", "👩‍👩‍👧-family", String(repeating: "长", count: 40)]
        var snapshot = Fixture.shop()
        for name in odd { snapshot.root.children.append(Fixture.worker(ChildPath(components: ["shop", name]))) }
        for ascii in [false, true] {
            var state = Fixture.state(snapshot, options: DashboardOptions(ascii: ascii))
            Fixture.press(&state, [.end])
            for width in stride(from: 1, through: 150, by: 7) {
                for height in stride(from: 1, through: 48, by: 5) {
                    state.resize(width: width, height: height)
                    let lines = Renderer.render(state, width: width, height: height)
                    #expect(lines.count == height)
                    #expect(lines.allSatisfy { $0.width <= width }, "\(width)x\(height)")
                    for line in lines {
                        #expect(!line.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
                    }
                }
            }
        }
    }
}
