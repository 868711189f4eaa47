extension Reducer {
    /// Rows the wheel moves per notch.
    static let wheelStep = 3

    /// A click selects the row under it (on its fold glyph it also folds); the wheel scrolls the
    /// pane under it. Clicks outside the tree and log panes do nothing.
    static func mouse(_ state: inout DashboardState, _ event: MouseEvent, layout: Layout) {
        if let bottom = layout.bottom, !layout.bottomShowsDetail, (bottom.y..<(bottom.y + bottom.height)).contains(event.row) {
            switch event.kind {
            case .wheelUp: state.logScroll = min(state.logScroll + wheelStep, max(0, state.visibleLog.count - 1))
            case .wheelDown: state.logScroll = max(0, state.logScroll - wheelStep)
            case .click: state.focus = .log
            }
            return
        }
        let tree = layout.tree
        guard (tree.y..<(tree.y + tree.height)).contains(event.row), (0..<tree.width).contains(event.column) else { return }
        switch event.kind {
        case .wheelUp: move(&state, by: -wheelStep, page: layout.treePage)
        case .wheelDown: move(&state, by: wheelStep, page: layout.treePage)
        case .click:
            let rows = state.visibleRows()
            guard event.row > tree.y, let selected = state.selectedRowIndex(in: rows) else { return }
            let index = state.firstVisibleRow(rows: rows.count, selected: selected, page: layout.treePage) + (event.row - tree.y - 1)
            guard rows.indices.contains(index) else { return }
            state.focus = .tree
            select(&state, rows, index, page: layout.treePage)
            let row = rows[index]
            if row.hasChildren && event.column == 1 + 2 * row.depth {
                if state.collapsed.contains(row.id) { state.collapsed.remove(row.id) } else { state.collapsed.insert(row.id) }
            }
        }
    }
}
