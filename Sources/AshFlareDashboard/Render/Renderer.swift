import AshFlare

/// Draws the dashboard: `(state, width, height) → [StyledLine]`, pure and deterministic.
///
/// Exactly `height` lines, none wider than `width` cells. The terminal draws them; tests compare
/// them as text (``FrameText``).
public enum Renderer {
    /// The frame for `state` at `width` × `height`.
    public static func render(_ state: DashboardState, width: Int, height: Int) -> [StyledLine] {
        guard width > 0, height > 0 else { return [] }
        let layout = state.layout(width: width, height: height)
        if layout.isTooSmall { return tooSmall(width: width, height: height) }
        let context = RenderContext(state: state, layout: layout, rows: state.rowList())
        var lines = [StyledLine](repeating: StyledLine(), count: height)
        lines[0] = context.headerLine()
        lines[1] = state.replay.map { context.timelineLine($0) } ?? context.sparklineLine()
        if let pane = state.logsPane {
            let body = Rect(x: 0, y: layout.tree.y, width: width, height: height - 2 - layout.tree.y)
            let paneLines = context.logsPane(pane, rect: body)
            for offset in 0..<body.height { lines[body.y + offset] = paneLines[offset] }
            lines[height - 2] = context.statusLine()
            lines[height - 1] = context.keysLine()
            if let overlay = state.overlay { lines = context.draw(overlay, over: lines) }
            return lines.map { $0.width > width ? $0.prefix(cells: width) : $0 }
        }
        let treeLines = context.treePane()
        let detailLines = layout.detail.map { context.detailPane(rect: $0) }
        for offset in 0..<layout.tree.height {
            var line = treeLines[offset]
            if let detailLines, let detail = layout.detail {
                line.pad(to: layout.tree.width)
                line.append(context.glyphs.vertical, .dim)
                line.pad(to: detail.x)
                line.append(detailLines[offset])
            }
            lines[layout.tree.y + offset] = line
        }
        if let bottom = layout.bottom {
            let bottomLines = layout.bottomShowsDetail ? context.detailPane(rect: bottom) : context.logPane(rect: bottom)
            for offset in 0..<bottom.height { lines[bottom.y + offset] = bottomLines[offset] }
        }
        lines[height - 2] = context.statusLine()
        lines[height - 1] = context.keysLine()
        if let overlay = state.overlay { lines = context.draw(overlay, over: lines) }
        return lines.map { $0.width > width ? $0.prefix(cells: width) : $0 }
    }

    /// The whole frame as plain text (headless mode: `flare-demo --once`).
    public static func renderText(_ state: DashboardState, width: Int, height: Int) -> String {
        FrameText.plain(render(state, width: width, height: height))
    }

    private static func tooSmall(width: Int, height: Int) -> [StyledLine] {
        var lines = [StyledLine](repeating: StyledLine(), count: height)
        let need = "\(Layout.minimumWidth)x\(Layout.minimumHeight)"
        let message = width >= 60
            ? "Terminal too small (\(width)x\(height)): AshFlare needs \(need). Resize, or q to quit."
            : "Too small \(width)x\(height) (need \(need))"
        lines[0] = StyledLine(TextWidth.truncate(message, to: width, ellipsis: width > 3 ? "…" : ""), .warning)
        return lines
    }
}

/// What every part of a frame needs: the state, the layout, the symbols and the current times.
struct RenderContext {
    let state: DashboardState
    let layout: Layout
    let glyphs: Glyphs
    let ascii: Bool
    let nodes: [NodeState]
    let wall: Duration
    /// The tree pane's rows.
    let rows: RowList
    /// The selected row's index in ``rows``.
    let selectedIndex: Int?
    /// The selected tree node, if a node row is selected.
    let selected: (tree: Int, node: ModelNode)?
    /// Each tree's restarts in the last minute (flapping markers, the detail pane).
    let recent: [RecentRestarts]

    init(state: DashboardState, layout: Layout, rows: RowList) {
        self.state = state
        self.layout = layout
        self.ascii = state.options.ascii
        self.glyphs = ascii ? .ascii : .unicode
        self.nodes = state.visibleNodes
        self.wall = state.visibleWall
        self.rows = rows
        let wall = self.wall
        self.recent = state.visibleNodes.map { RecentRestarts($0.model, now: $0.treeTime(atWall: wall)) }
        self.selectedIndex = rows.selectedIndex
        if let index = selectedIndex, let node = state.modelNode(rows[index]) {
            selected = (rows[index].id.node, node)
        } else {
            selected = nil
        }
    }

    /// The current time of tree `node`.
    func now(_ node: Int) -> Duration { nodes[node].treeTime(atWall: wall) }

    /// `text` made safe and fitted to `cells` (padded).
    func fit(_ text: String, _ cells: Int) -> String { TextWidth.fit(text, to: cells, ascii: ascii) }

    /// `text` made safe and cut to `cells` (not padded).
    func cut(_ text: String, _ cells: Int) -> String {
        TextWidth.truncate(TextWidth.sanitize(text, ascii: ascii), to: cells, ellipsis: glyphs.ellipsis)
    }
}
