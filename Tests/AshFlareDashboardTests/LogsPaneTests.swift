import AshFlare
import AshFlareDashboard
import Testing

/// The logs pane (`l`): pure reducer and renderer tests.
@Suite("Logs pane: open, follow, scroll, wrap, search, previous incarnation, save")
struct LogsPaneTests {
    static let gateway: ChildPath = "shop/payments/gateway"

    static func line(_ sequence: UInt64, _ text: String, incarnation: UInt64 = 8, stream: LogStream = .logger) -> LogLine {
        LogLine(sequence: sequence, incarnation: incarnation, time: .milliseconds(Int64(90_000 + sequence * 100)), stream: stream, text: text)
    }

    /// A state with the logs pane open on the gateway and `count` lines in it.
    static func opened(lines count: Int = 0, width: Int = 100, height: Int = 20) -> DashboardState {
        var state = Fixture.state(width: width, height: height)
        Fixture.select(&state, gateway)
        Fixture.press(&state, [.character("l")])
        let lines = (1...max(1, count)).map { line(UInt64($0), "request \($0) handled") }
        state.apply(.logLines(node: 0, path: gateway, lines: count == 0 ? [] : lines, missed: 0))
        return state
    }

    @Test("l on a worker opens its logs and follows them; Esc closes and stops following")
    func openAndClose() {
        var state = Fixture.state()
        Fixture.select(&state, Self.gateway)
        let commands = Fixture.press(&state, [.character("l")])
        #expect(commands == [.followLog(node: 0, path: Self.gateway)])
        #expect(state.logsPane?.path == Self.gateway)
        #expect(state.logsPane?.follow == true)
        #expect(state.detailLogRequest == nil)
        #expect(Fixture.press(&state, [.escape]) == [.stopLog])
        #expect(state.logsPane == nil)
    }

    @Test("l on a supervisor says supervisors have no log and opens nothing")
    func supervisorHasNoLog() {
        var state = Fixture.state()
        Fixture.select(&state, "shop/payments")
        #expect(Fixture.press(&state, [.character("l")]).isEmpty)
        #expect(state.logsPane == nil)
        #expect(state.status?.text.contains("supervisors have no log") == true)
    }

    @Test("lines of another worker are ignored; repeated lines are kept once")
    func linesOfThisWorkerOnly() {
        var state = Self.opened(lines: 3)
        state.apply(.logLines(node: 0, path: "shop/db/conn-manager", lines: [Self.line(9, "other")], missed: 0))
        state.apply(.logLines(node: 0, path: Self.gateway, lines: [Self.line(3, "again"), Self.line(4, "four")], missed: 2))
        #expect(state.logsPane?.lines.elements.map(\.sequence) == [1, 2, 3, 4])
        #expect(state.logsPane?.missed == 2)
    }

    @Test("scrolling up stops following and holds the view while lines arrive; End follows again")
    func scrollHoldsTheView() {
        var state = Self.opened(lines: 50)
        Fixture.press(&state, [.up, .up])
        #expect(state.logsPane?.follow == false)
        #expect(state.logsPane?.scroll == 2)
        state.apply(.logLines(node: 0, path: Self.gateway, lines: [Self.line(51, "new")], missed: 0))
        #expect(state.logsPane?.scroll == 3)
        Fixture.press(&state, [.end])
        #expect(state.logsPane?.follow == true)
        #expect(state.logsPane?.scroll == 0)
        Fixture.press(&state, [.character("f")])
        #expect(state.logsPane?.follow == false)
    }

    @Test("/ searches; Enter jumps to the newest match, N to older ones, n to newer ones")
    func search() {
        var state = Self.opened(lines: 40)
        Fixture.press(&state, [.character("/")] + Key.typing("request 1") + [.enter])
        // Matches: 1, 10...19 (indices 0, 9...18); the newest is 19 (index 18).
        #expect(state.logsPane?.matchIndices.count == 11)
        #expect(state.logsPane?.scroll == 40 - 1 - 18)
        Fixture.press(&state, [.character("N")])
        #expect(state.logsPane?.scroll == 40 - 1 - 17)
        Fixture.press(&state, [.character("n")])
        #expect(state.logsPane?.scroll == 40 - 1 - 18)
        #expect(state.status?.text == "match 11 of 11 for request 1 (n newer, N older)")
        Fixture.press(&state, [.escape])
        #expect(state.logsPane?.search == "")
        #expect(state.logsPane != nil)
    }

    @Test("L reads the previous incarnation; its lines replace the live ones; L again follows live")
    func previousIncarnation() {
        var state = Self.opened(lines: 5)
        #expect(Fixture.press(&state, [.character("L")]) == [.stopLog, .readPreviousLog(node: 0, path: Self.gateway)])
        #expect(state.logsPane?.source == .previous)
        // Live lines that still arrive are not mixed in.
        state.apply(.logLines(node: 0, path: Self.gateway, lines: [Self.line(6, "live")], missed: 0))
        #expect(state.logsPane?.lines.isEmpty == true)
        let tail = LogTail(lines: [Self.line(1, "connecting", incarnation: 7), Self.line(2, "gateway timeout", incarnation: 7, stream: .stderr)],
                           incarnation: 8, nextSequence: 7, evictedLines: 0, missedByFollowers: 0)
        state.apply(.previousLog(node: 0, path: Self.gateway, tail: tail))
        #expect(state.logsPane?.lines.elements.map(\.text) == ["connecting", "gateway timeout"])
        #expect(state.logsPane?.previousIncarnation == 7)
        #expect(Fixture.press(&state, [.character("L")]) == [.stopLog, .followLog(node: 0, path: Self.gateway)])
    }

    @Test("w saves the lines to a file named after the worker in the save directory")
    func save() {
        var options = DashboardOptions()
        options.saveDirectory = "/tmp/logs"
        var state = Fixture.state(width: 100, height: 20, options: options)
        Fixture.select(&state, Self.gateway)
        Fixture.press(&state, [.character("l")])
        state.apply(.logLines(node: 0, path: Self.gateway, lines: [Self.line(1, "a"), Self.line(2, "b", stream: .stderr)], missed: 0))
        let commands = Fixture.press(&state, [.character("w")])
        #expect(commands == [.saveFile(path: "/tmp/logs/ashflare-shop-payments-gateway.log",
                                       text: "#8 1:30.100 logger a\n#8 1:30.200 stderr b\n")])
    }

    @Test("the pane: title, time, incarnation, stderr marked, the newest line last (frame)")
    func frameFollowing() {
        var state = Self.opened(lines: 30)
        state.apply(.logLines(node: 0, path: Self.gateway, lines: [Self.line(31, "gateway timeout after 5s", stream: .stderr)], missed: 0))
        expectFrame(Renderer.renderText(state, width: 100, height: 20), named: "logs-following")
    }

    @Test("wrap: a long line takes several rows; unwrapped it is cut (frame)")
    func frameWrapped() {
        var state = Self.opened(lines: 3, width: 60, height: 12)
        let long = String(repeating: "0123456789", count: 12)
        state.apply(.logLines(node: 0, path: Self.gateway, lines: [Self.line(4, long)], missed: 0))
        let cut = Renderer.renderText(state, width: 60, height: 12)
        Fixture.press(&state, [.character("W")])
        let wrapped = Renderer.renderText(state, width: 60, height: 12)
        expectFrame(cut + "\n----\n" + wrapped, named: "logs-wrap")
    }

    @Test("search marks matching lines; the previous incarnation is named in the title (frame)")
    func frameSearchAndPrevious() {
        var state = Self.opened(lines: 12, width: 80, height: 16)
        Fixture.press(&state, [.character("/")] + Key.typing("request 1") + [.enter])
        let searched = Renderer.renderText(state, width: 80, height: 16)
        Fixture.press(&state, [.character("L")])
        state.apply(.previousLog(node: 0, path: Self.gateway, tail: LogTail(
            lines: [Self.line(1, "last words", incarnation: 7, stream: .stderr)], incarnation: 8, nextSequence: 13, evictedLines: 0, missedByFollowers: 0)))
        let previous = Renderer.renderText(state, width: 80, height: 16)
        expectFrame(searched + "\n----\n" + previous, named: "logs-search-previous")
    }
}
