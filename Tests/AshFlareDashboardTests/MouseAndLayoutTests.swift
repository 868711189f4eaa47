import AshFlare
import AshFlareDashboard
import Testing

@Suite("Mouse, columns and the detail pane's width")
struct MouseAndLayoutTests {
    /// The screen row of the row showing `path` (the tree pane's first row is the titles).
    func screenRow(_ state: DashboardState, _ path: ChildPath) -> Int? {
        Renderer.render(state, width: state.width, height: state.height).firstIndex { line in
            line.text.contains(" \(path.id) ") && line.text.contains("running")
        }
    }

    @Test("a click selects the row under it")
    func clickSelects() throws {
        var state = Fixture.state()
        let row = try #require(screenRow(state, "shop/db/pool"))
        Fixture.press(&state, [.mouse(MouseEvent(.click, column: 20, row: row))])
        #expect(state.selection?.path == "shop/db/pool")
    }

    @Test("a click on the fold glyph folds and unfolds; elsewhere on the row it does not")
    func clickFolds() throws {
        var state = Fixture.state()
        let row = try #require(screenRow(state, "shop/db"))
        let foldColumn = 1 + 2 * 1
        #expect(Renderer.render(state, width: 120, height: 36)[row].text.dropFirst(foldColumn).first == "▾")
        Fixture.press(&state, [.mouse(MouseEvent(.click, column: foldColumn, row: row))])
        #expect(state.collapsed == [RowID(node: 0, path: "shop/db")])
        Fixture.press(&state, [.mouse(MouseEvent(.click, column: foldColumn + 3, row: row))])
        #expect(state.collapsed == [RowID(node: 0, path: "shop/db")])
        Fixture.press(&state, [.mouse(MouseEvent(.click, column: foldColumn, row: row))])
        #expect(state.collapsed.isEmpty)
    }

    @Test("the wheel moves the selection three rows in the tree and scrolls the event log")
    func wheel() {
        var state = Fixture.state()
        Fixture.press(&state, [.mouse(MouseEvent(.wheelDown, column: 10, row: 5))])
        #expect(state.selectedRowIndex(in: state.visibleRows()) == 3)
        Fixture.press(&state, [.mouse(MouseEvent(.wheelUp, column: 10, row: 5))])
        #expect(state.selectedRowIndex(in: state.visibleRows()) == 0)
        for index in 0..<10 { state.apply(.custom(CustomKeyOutcome(message: "note \(index)", badge: nil))) }
        let log = state.layout().bottom!
        Fixture.press(&state, [.mouse(MouseEvent(.wheelUp, column: 10, row: log.y + 2))])
        #expect(state.logScroll == 3)
    }

    @Test("at 120 columns no column title is cut and every name shows whole")
    func noTruncationAt120() throws {
        let state = Fixture.state()
        let lines = Renderer.render(state, width: 120, height: 36).map(\.text)
        let titles = lines[2]
        #expect(titles.contains("INTENSITY / LAST EXIT"))
        #expect(!titles.contains("…"))
        #expect(lines.contains { $0.contains("pool-worker-1 ") })
        #expect(lines.contains { $0.contains("legacy-bridge ") })
    }

    @Test("i narrows the detail pane, then hides it, then brings it back")
    func detailModes() {
        var state = Fixture.state()
        #expect(state.layout().detail?.width ?? 0 > Layout.narrowDetailWidth)
        Fixture.press(&state, [.character("i")])
        #expect(state.layout().detail?.width == Layout.narrowDetailWidth)
        Fixture.press(&state, [.character("i")])
        #expect(state.layout().detail == nil)
        #expect(state.layout().tree.width == 120)
        #expect(!Renderer.renderText(state, width: 120, height: 36).contains("Detail"))
        Fixture.press(&state, [.character("i")])
        #expect(state.layout().detail != nil)
    }

    @Test("the detail pane wraps the whole last-exit error instead of cutting it, and says how long the state lasts")
    func fullDetail() {
        let reason = "connection refused by db-primary.internal:5432 after 3 attempts (tls handshake timeout, last error ECONNRESET)"
        var snapshot = Fixture.shop()
        snapshot.root.children.append(Fixture.worker(
            "shop/mailer", state: .stopped, lastExit: .error(reason), lastExitAt: .seconds(88)))
        var state = Fixture.state(snapshot)
        Fixture.select(&state, "shop/mailer")
        let text = Renderer.render(state, width: 120, height: 36).map { $0.text }
        let detail = text.compactMap { line -> String? in
            guard let bar = line.firstIndex(of: "│") else { return nil }
            return String(line[line.index(after: bar)...])
        }.map { $0.dropFirst(11).trimmingCharacters() }.joined(separator: " ")
        #expect(detail.contains(reason.split(separator: " ").suffix(4).joined(separator: " ")))
        #expect(text.contains { $0.contains("for       12s in this state") })
    }
}

private extension Substring {
    func trimmingCharacters() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
