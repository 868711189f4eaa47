import AshFlare

/// One visible row of the tree pane.
public struct TreeRow: Hashable, Sendable {
    /// Which row.
    public var id: RowID
    /// The node's index in its tree's model; `nil` for a tree's header row.
    public var slot: Int?
    /// Indentation level.
    public var depth: Int
    /// Whether it has children (and so can be collapsed).
    public var hasChildren: Bool
    /// Whether its children are shown.
    public var isExpanded: Bool
}

extension DashboardState {
    /// The rows of the tree pane, top to bottom: collapsed subtrees hidden; with a filter, the
    /// nodes whose id contains it (ignoring case) and their ancestors, all expanded.
    public func visibleRows() -> [TreeRow] {
        var rows: [TreeRow] = []
        let needle = filter.lowercased()
        for (nodeIndex, node) in visibleNodes.enumerated() {
            let header = RowID(node: nodeIndex, path: nil)
            var base = 0
            if isMultiNode {
                let open = !collapsed.contains(header) || !needle.isEmpty
                rows.append(TreeRow(id: header, slot: nil, depth: 0, hasChildren: node.model.rootIndex != nil, isExpanded: open))
                if !open { continue }
                base = 1
            }
            guard let root = node.model.rootIndex else { continue }
            let model = node.model
            if needle.isEmpty {
                appendUnfiltered(model, root, node: nodeIndex, base: base, into: &rows)
            } else {
                var keep = [Bool](repeating: false, count: model.nodes.count)
                _ = markMatches(model, root, needle: needle, keep: &keep)
                appendFiltered(model, root, node: nodeIndex, base: base, keep: keep, into: &rows)
            }
        }
        return rows
    }

    private func appendUnfiltered(_ model: TreeModel, _ root: Int, node: Int, base: Int, into rows: inout [TreeRow]) {
        var stack = [root]
        while let slot = stack.popLast() {
            let id = RowID(node: node, path: model.nodes[slot].path)
            let hasChildren = !model.nodes[slot].children.isEmpty
            let open = hasChildren && (collapsed.isEmpty || !collapsed.contains(id))
            rows.append(TreeRow(id: id, slot: slot, depth: base + model.nodes[slot].depth, hasChildren: hasChildren, isExpanded: open))
            if open { stack.append(contentsOf: model.nodes[slot].children.reversed()) }
        }
    }

    private func markMatches(_ model: TreeModel, _ slot: Int, needle: String, keep: inout [Bool]) -> Bool {
        var any = model.nodes[slot].lowercasedID.contains(needle)
        for child in model.nodes[slot].children where markMatches(model, child, needle: needle, keep: &keep) { any = true }
        keep[slot] = any
        return any
    }

    private func appendFiltered(_ model: TreeModel, _ root: Int, node: Int, base: Int, keep: [Bool], into rows: inout [TreeRow]) {
        var stack = [root]
        while let slot = stack.popLast() {
            guard keep[slot] else { continue }
            let entry = model.nodes[slot]
            let hasChildren = entry.children.contains { keep[$0] }
            rows.append(TreeRow(
                id: RowID(node: node, path: entry.path), slot: slot, depth: base + entry.depth,
                hasChildren: hasChildren, isExpanded: hasChildren))
            stack.append(contentsOf: entry.children.reversed())
        }
    }

    /// The index of the selected row in `rows` (falling back to the last known position when
    /// the selected node is gone).
    public func selectedRowIndex(in rows: [TreeRow]) -> Int? {
        guard !rows.isEmpty else { return nil }
        if let selection, let index = rows.firstIndex(where: { $0.id == selection }) { return index }
        return min(max(0, selectionHint), rows.count - 1)
    }

    /// The selected row.
    public func selectedRow(in rows: [TreeRow]) -> TreeRow? {
        selectedRowIndex(in: rows).map { rows[$0] }
    }

    /// The model node of a row.
    public func modelNode(_ row: TreeRow) -> ModelNode? {
        guard let slot = row.slot else { return nil }
        return visibleNodes[row.id.node].model.nodes[slot]
    }
}
