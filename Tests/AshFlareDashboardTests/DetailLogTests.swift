import AshFlare
import AshFlareDashboard
import Testing

@Suite("Detail pane: the selected worker's last log lines")
struct DetailLogTests {
    func frame(_ state: DashboardState) -> String {
        Renderer.renderText(state, width: state.width, height: state.height)
    }

    static let lines = [
        LogLine(sequence: 41, incarnation: 7, time: .seconds(99), stream: .logger, text: "info: payment authorised payment=41"),
        LogLine(sequence: 42, incarnation: 7, time: .seconds(99), stream: .logger, text: "error: giving up: gateway timeout"),
        LogLine(sequence: 43, incarnation: 8, time: .seconds(100), stream: .stdout, text: "reconnecting", cutBytes: 12),
    ]

    @Test("a worker's selection asks for its log; a supervisor's asks for nothing")
    func request() {
        var state = Fixture.state(width: 120, height: 40)
        Fixture.select(&state, "shop/payments/gateway")
        #expect(state.detailLogRequest == .readLog(node: 0, path: "shop/payments/gateway"))
        Fixture.select(&state, "shop/payments")
        #expect(state.detailLogRequest == nil)
    }

    @Test("the detail pane shows the selected worker's lines with their incarnation and the cut marker")
    func shown() {
        var state = Fixture.state(width: 140, height: 48)
        Fixture.select(&state, "shop/payments/gateway")
        state.apply(.childLog(node: 0, path: "shop/payments/gateway", lines: Self.lines))
        let text = frame(state)
        #expect(text.contains("last log lines"))
        #expect(text.contains("#7 error: giving up: gateway timeout"))
        #expect(text.contains("#8 reconnecting…[+12 bytes]"))
    }

    @Test("lines of another worker are not shown for the selection")
    func otherWorker() {
        var state = Fixture.state(width: 140, height: 48)
        state.apply(.childLog(node: 0, path: "shop/payments/gateway", lines: Self.lines))
        Fixture.select(&state, "shop/db/conn-manager")
        #expect(!frame(state).contains("last log lines"))
    }
}
