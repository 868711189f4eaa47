import AshFlare

/// The tree pane's rows as the renderer reads them: by index, without building every row.
///
/// In the common case — one tree, nothing folded, no filter, spec order, no removed slots — row
/// `i` is slot `i` of the model (its slots are laid out depth first), so a frame touches only
/// the rows it draws; otherwise the rows are built by ``DashboardState/visibleRows(ignoringFolds:)``.
public struct RowList: Sendable {
    private enum Storage: Sendable {
        case rows([TreeRow])
        case slots(TreeModel)
    }

    private let storage: Storage
    /// The index of the selected row, if there are rows.
    public let selectedIndex: Int?

    /// The number of rows.
    public var count: Int {
        switch storage {
        case .rows(let rows): rows.count
        case .slots(let model): model.nodes.count
        }
    }

    /// Whether there are no rows.
    public var isEmpty: Bool { count == 0 }

    /// The row at `index`.
    public subscript(index: Int) -> TreeRow {
        switch storage {
        case .rows(let rows):
            return rows[index]
        case .slots(let model):
            let hasChildren = !model.nodes[index].children.isEmpty
            return TreeRow(
                id: RowID(node: 0, path: model.nodes[index].path), slot: index, depth: model.nodes[index].depth,
                hasChildren: hasChildren, isExpanded: hasChildren)
        }
    }

    /// Every row (for tests: equal to ``DashboardState/visibleRows(ignoringFolds:)``).
    public var all: [TreeRow] { (0..<count).map { self[$0] } }

    init(_ state: DashboardState) {
        if !state.isMultiNode, state.sort == .spec, state.collapsed.isEmpty, FilterQuery(state.filter).isEmpty,
           let model = state.visibleNodes.first?.model, model.rootIndex == 0, model.deadSlots == 0 {
            storage = .slots(model)
            if let path = state.selection?.path, let slot = model.index(of: path) {
                selectedIndex = slot
            } else {
                selectedIndex = model.nodes.isEmpty ? nil : min(max(0, state.selectionHint), model.nodes.count - 1)
            }
        } else {
            let rows = state.visibleRows()
            storage = .rows(rows)
            selectedIndex = state.selectedRowIndex(in: rows)
        }
    }
}

extension DashboardState {
    /// The tree pane's rows for drawing (see ``RowList``).
    public func rowList() -> RowList { RowList(self) }
}
