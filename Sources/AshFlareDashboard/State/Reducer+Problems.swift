import AshFlare

extension Reducer {
    // MARK: n N: the next node in trouble

    /// Selects the next (or previous) node in ``Trouble`` after the selection, wrapping around,
    /// and unfolds its ancestors so it shows.
    static func jumpToTrouble(_ state: inout DashboardState, forward: Bool, page: Int) {
        let all = state.visibleRows(ignoringFolds: true)
        var troubled: [Int] = []
        var walks: [Int: TreeWalk] = [:]
        for (index, row) in all.enumerated() {
            guard let slot = row.slot else { continue }
            let tree = state.visibleNodes[row.id.node]
            let walk = walks[row.id.node] ?? TreeWalk(
                model: tree.model, node: row.id.node, base: 0, sort: .spec, now: tree.treeTime(atWall: state.visibleWall), needsRecent: true)
            walks[row.id.node] = walk
            if walk.trouble(slot) != nil { troubled.append(index) }
        }
        guard !troubled.isEmpty else {
            state.setStatus("nothing in trouble: no node failed, backing off, near its limit or restarted in the last minute", .ok)
            return
        }
        let current = state.selection.flatMap { selection in all.firstIndex { $0.id == selection } } ?? -1
        let target = forward
            ? troubled.first { $0 > current } ?? troubled[0]
            : troubled.last { $0 < current } ?? troubled[troubled.count - 1]
        let row = all[target]
        unfoldAncestors(of: row, in: &state)
        let rows = state.visibleRows()
        guard let index = rows.firstIndex(where: { $0.id == row.id }) else { return }
        select(&state, rows, index, page: page)
        let tree = state.visibleNodes[row.id.node]
        if let slot = row.slot, let walk = walks[row.id.node], let trouble = walk.trouble(slot) {
            let position = troubled.firstIndex(of: target).map { $0 + 1 } ?? 1
            state.setStatus("trouble \(position)/\(troubled.count): \(tree.model.nodes[slot].path) \(trouble.word) (n next, N previous)")
        }
    }

    private static func unfoldAncestors(of row: TreeRow, in state: inout DashboardState) {
        guard let path = row.id.path else { return }
        state.collapsed.remove(RowID(node: row.id.node, path: nil))
        var parent = path.parent
        while let ancestor = parent {
            state.collapsed.remove(RowID(node: row.id.node, path: ancestor))
            parent = ancestor.parent
        }
    }

    // MARK: C E: collapse all, expand all

    /// Folds every supervisor below each root, so the top level shows with its roll-ups.
    static func collapseAll(_ state: inout DashboardState) {
        var folded = 0
        for (index, tree) in state.visibleNodes.enumerated() {
            for node in tree.model.nodes where node.isLive && !node.children.isEmpty && node.depth > 0 {
                state.collapsed.insert(RowID(node: index, path: node.path))
                folded += 1
            }
        }
        let rows = state.visibleRows()
        if let selection = state.selection, !rows.contains(where: { $0.id == selection }), let path = selection.path {
            // The selection went under a fold: select its nearest visible ancestor.
            var parent = path.parent
            while let ancestor = parent {
                if rows.contains(where: { $0.id == RowID(node: selection.node, path: ancestor) }) {
                    state.selection = RowID(node: selection.node, path: ancestor)
                    break
                }
                parent = ancestor.parent
            }
        }
        state.setStatus("collapsed \(folded) supervisors (E expands all)")
    }

    /// Unfolds everything.
    static func expandAll(_ state: inout DashboardState) {
        state.collapsed.removeAll()
        state.setStatus("expanded all (C collapses all)")
    }

    // MARK: o: sort

    static func cycleSort(_ state: inout DashboardState) {
        state.sort = state.sort.next
        state.treeScroll = 0
        state.setStatus("sorted by \(state.sort.label) (o for the next order)")
    }

    // MARK: Space: mark

    /// Marks or unmarks the selected node row for a bulk kill, then moves down.
    static func toggleMark(_ state: inout DashboardState, page: Int) {
        let rows = state.visibleRows()
        guard let row = state.selectedRow(in: rows), row.slot != nil else { return }
        if state.marked.contains(row.id) { state.marked.remove(row.id) } else { state.marked.insert(row.id) }
        state.setStatus(state.marked.isEmpty
            ? "no rows marked"
            : "\(state.marked.count) marked: x kills them all at once, Esc clears the marks")
        move(&state, by: 1, page: page)
    }
}
