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
    /// nodes that match it (see ``FilterQuery``) and their ancestors, all expanded; siblings in
    /// the order of ``sort``.
    /// - Parameter ignoringFolds: Lists every row as if nothing were collapsed (for `n`, which
    ///   finds trouble under a fold).
    public func visibleRows(ignoringFolds: Bool = false) -> [TreeRow] {
        var rows: [TreeRow] = []
        let query = FilterQuery(filter)
        let folds = ignoringFolds ? [] : collapsed
        for (nodeIndex, node) in visibleNodes.enumerated() {
            let header = RowID(node: nodeIndex, path: nil)
            var base = 0
            if isMultiNode {
                let open = !folds.contains(header) || !query.isEmpty
                rows.append(TreeRow(id: header, slot: nil, depth: 0, hasChildren: node.model.rootIndex != nil, isExpanded: open))
                if !open { continue }
                base = 1
            }
            guard let root = node.model.rootIndex else { continue }
            let walk = TreeWalk(
                model: node.model, node: nodeIndex, base: base, sort: sort, now: node.treeTime(atWall: visibleWall),
                needsRecent: sort != .spec || query.needsTrouble)
            if query.isEmpty {
                walk.appendUnfiltered(root, folds: folds, into: &rows)
            } else {
                var keep = [Bool](repeating: false, count: node.model.nodes.count)
                _ = walk.markMatches(root, query: query, keep: &keep)
                walk.appendFiltered(root, keep: keep, into: &rows)
            }
        }
        return rows
    }

    /// The index of the selected row in `rows` (falling back to the last known position when
    /// the selected node is gone).
    public func selectedRowIndex(in rows: [TreeRow]) -> Int? {
        guard !rows.isEmpty else { return nil }
        if let selection {
            // The row of the last move is almost always still the selected one: O(1) per frame.
            if rows.indices.contains(selectionHint), rows[selectionHint].id == selection { return selectionHint }
            if let index = rows.firstIndex(where: { $0.id == selection }) { return index }
        }
        return min(max(0, selectionHint), rows.count - 1)
    }

    /// The first row the tree pane shows: the scroll position, moved so the selected row is in
    /// view (shared by the renderer and the mouse, which maps a screen row back to a row).
    public func firstVisibleRow(rows count: Int, selected: Int, page: Int) -> Int {
        var top = min(max(0, treeScroll), max(0, count - page))
        if selected < top { top = selected }
        if selected >= top + page { top = selected - page + 1 }
        return top
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

/// One tree's walk for ``DashboardState/visibleRows(ignoringFolds:)``: depth first, siblings sorted.
struct TreeWalk {
    let model: TreeModel
    let node: Int
    let base: Int
    let sort: TreeSort
    let now: Duration
    let recent: RecentRestarts?

    init(model: TreeModel, node: Int, base: Int, sort: TreeSort, now: Duration, needsRecent: Bool) {
        self.model = model
        self.node = node
        self.base = base
        self.sort = sort
        self.now = now
        self.recent = needsRecent ? RecentRestarts(model, now: now) : nil
    }

    private func children(_ slot: Int) -> [Int] {
        guard sort != .spec, let recent else { return model.nodes[slot].children }
        return sort.order(model.nodes[slot].children, in: model, now: now, recent: recent)
    }

    func appendUnfiltered(_ root: Int, folds: Set<RowID>, into rows: inout [TreeRow]) {
        if folds.isEmpty && sort == .spec {
            // Nothing folded, spec order: the rows are the live slots in order, because a model's
            // slots are laid out depth first (see ``TreeModel/load(_:)``) and removals only kill slots.
            rows.reserveCapacity(rows.count + model.nodes.count)
            model.nodes.withUnsafeBufferPointer { nodes in
                for slot in root..<nodes.count where nodes[slot].isLive {
                    let hasChildren = !nodes[slot].children.isEmpty
                    rows.append(TreeRow(
                        id: RowID(node: node, path: nodes[slot].path), slot: slot, depth: base + nodes[slot].depth,
                        hasChildren: hasChildren, isExpanded: hasChildren))
                }
            }
            return
        }
        var stack = [root]
        while let slot = stack.popLast() {
            let id = RowID(node: node, path: model.nodes[slot].path)
            let hasChildren = !model.nodes[slot].children.isEmpty
            let open = hasChildren && (folds.isEmpty || !folds.contains(id))
            rows.append(TreeRow(id: id, slot: slot, depth: base + model.nodes[slot].depth, hasChildren: hasChildren, isExpanded: open))
            if open { stack.append(contentsOf: children(slot).reversed()) }
        }
    }

    func markMatches(_ slot: Int, query: FilterQuery, keep: inout [Bool]) -> Bool {
        var any = query.matches(model.nodes[slot], trouble: trouble(slot))
        for child in model.nodes[slot].children where markMatches(child, query: query, keep: &keep) { any = true }
        keep[slot] = any
        return any
    }

    func trouble(_ slot: Int) -> Trouble? {
        Trouble.of(slot: slot, in: model, now: now, recentRestarts: recent?[model.nodes[slot].path] ?? 0)
    }

    func appendFiltered(_ root: Int, keep: [Bool], into rows: inout [TreeRow]) {
        var stack = [root]
        while let slot = stack.popLast() {
            guard keep[slot] else { continue }
            let entry = model.nodes[slot]
            let hasChildren = entry.children.contains { keep[$0] }
            rows.append(TreeRow(
                id: RowID(node: node, path: entry.path), slot: slot, depth: base + entry.depth,
                hasChildren: hasChildren, isExpanded: hasChildren))
            stack.append(contentsOf: children(slot).reversed())
        }
    }
}
