/// Turns a key into a new state and the commands to run: pure, so every key sequence is a test.
///
/// ```swift
/// var state = DashboardState(names: ["shop"])
/// let commands = Reducer.reduce(&state, .character("x"))   // asks to confirm
/// Reducer.reduce(&state, .character("y"))                   // [.perform(kill shop/payments #4)]
/// ```
public enum Reducer {
    /// Returns the new state and the commands for `key`.
    public static func reduce(_ state: DashboardState, _ key: Key) -> (DashboardState, [DashboardCommand]) {
        var copy = state
        let commands = reduce(&copy, key)
        return (copy, commands)
    }

    /// Applies `key` to `state` and returns the commands to run.
    @discardableResult
    public static func reduce(_ state: inout DashboardState, _ key: Key) -> [DashboardCommand] {
        switch state.overlay {
        case .help:
            if [.escape, .enter, .character("?"), .character("q")].contains(key) { state.overlay = nil }
            return []
        case .confirm(let request):
            return confirm(&state, request, key)
        case .picker(let picker):
            return pick(&state, picker, key)
        case .arguments(let picker, let text):
            return typeArguments(&state, picker, text, key)
        case nil:
            break
        }
        if state.editingFilter, editFilter(&state, key) { return [] }
        return normal(&state, key)
    }

    private static func normal(_ state: inout DashboardState, _ key: Key) -> [DashboardCommand] {
        let layout = Layout(width: state.width, height: state.height, focus: state.focus)
        if state.focus == .log, scrollLog(&state, key, page: layout.logPage) { return [] }
        switch key {
        case .character("q"), .control("c"):
            return [.quit]
        case .up, .character("k"): move(&state, by: -1, page: layout.treePage)
        case .down, .character("j"): move(&state, by: 1, page: layout.treePage)
        case .pageUp, .control("b"): move(&state, by: -layout.treePage, page: layout.treePage)
        case .pageDown, .control("f"), .character(" "): move(&state, by: layout.treePage, page: layout.treePage)
        case .home, .character("g"): move(&state, by: Int.min / 2, page: layout.treePage)
        case .end, .character("G"): move(&state, by: Int.max / 2, page: layout.treePage)
        case .left, .character("h"): collapseOrParent(&state, page: layout.treePage)
        case .right, .character("l"): expandOrChild(&state, page: layout.treePage)
        case .enter: toggle(&state)
        case .character("/"):
            state.editingFilter = true
            state.setStatus("filter: type a name, Enter keeps it, Esc clears it")
        case .escape:
            if !state.filter.isEmpty {
                state.filter = ""
                state.setStatus("filter cleared")
            } else if state.focus != .tree {
                state.focus = .tree
            }
        case .tab, .backTab:
            let panes = layout.panes
            let position = panes.firstIndex(of: state.focus) ?? 0
            state.focus = panes[(position + (key == .tab ? 1 : panes.count - 1)) % panes.count]
        case .character("p"):
            if state.frozen == nil {
                state.frozen = (state.nodes, state.log, state.wall)
                state.setStatus("paused: the view is frozen, the trees keep running (p resumes)")
            } else {
                state.frozen = nil
                state.setStatus("resumed")
            }
        case .character("+"), .character("="):
            return changeRefresh(&state, faster: true)
        case .character("-"), .character("_"):
            return changeRefresh(&state, faster: false)
        case .character("f"):
            state.logFollowsSelection.toggle()
            state.logScroll = 0
            state.setStatus(state.logFollowsSelection ? "event log: selected subtree only (f shows all)" : "event log: all events")
        case .character("?"):
            state.overlay = .help
        case .character(let character) where "xrtdas".contains(character):
            return action(&state, character)
        case .character(let character):
            return custom(&state, character)
        default:
            break
        }
        return []
    }

    /// An application key (``CustomKey``), if `character` is one.
    private static func custom(_ state: inout DashboardState, _ character: Character) -> [DashboardCommand] {
        guard let key = state.options.customKeys.first(where: { $0.character == character }) else { return [] }
        if key.changesTree && state.options.readOnly {
            state.setStatus("read-only (--readonly): \(character) (\(key.help)) is disabled", .error)
            return []
        }
        return [.custom(character)]
    }

    private static func changeRefresh(_ state: inout DashboardState, faster: Bool) -> [DashboardCommand] {
        let steps = DashboardOptions.refreshSteps
        let current = steps.firstIndex { $0 >= state.options.refreshInterval } ?? steps.count - 1
        let next = faster ? max(0, current - 1) : min(steps.count - 1, current + 1)
        state.options.refreshInterval = steps[next]
        state.setStatus("refresh every \(Format.period(steps[next]))")
        return [.setRefreshInterval(steps[next])]
    }

    /// Keys while typing a filter; returns false for keys that keep their normal meaning.
    private static func editFilter(_ state: inout DashboardState, _ key: Key) -> Bool {
        switch key {
        case .character(let character):
            state.filter.append(character)
        case .backspace:
            if state.filter.isEmpty { state.editingFilter = false } else { state.filter.removeLast() }
        case .enter:
            state.editingFilter = false
            state.setStatus(state.filter.isEmpty ? "filter cleared" : "filter: \(state.filter) (Esc clears)")
        case .escape:
            state.filter = ""
            state.editingFilter = false
            state.setStatus("filter cleared")
        default:
            return false
        }
        state.treeScroll = 0
        let rows = state.visibleRows()
        if let first = rows.first(where: { row in
            state.modelNode(row)?.lowercasedID.contains(state.filter.lowercased()) ?? false
        }), !state.filter.isEmpty {
            state.selection = first.id
        }
        return true
    }

    private static func scrollLog(_ state: inout DashboardState, _ key: Key, page: Int) -> Bool {
        switch key {
        case .up, .character("k"): state.logScroll += 1
        case .down, .character("j"): state.logScroll = max(0, state.logScroll - 1)
        case .pageUp: state.logScroll += page
        case .pageDown: state.logScroll = max(0, state.logScroll - page)
        case .home, .character("g"): state.logScroll = state.visibleLog.count
        case .end, .character("G"): state.logScroll = 0
        default: return false
        }
        state.logScroll = min(state.logScroll, max(0, state.visibleLog.count - 1))
        return true
    }

    // MARK: Tree navigation

    static func move(_ state: inout DashboardState, by delta: Int, page: Int) {
        let rows = state.visibleRows()
        guard let current = state.selectedRowIndex(in: rows) else { return }
        let target = min(max(0, current + delta), rows.count - 1)
        select(&state, rows, target, page: page)
    }

    static func select(_ state: inout DashboardState, _ rows: [TreeRow], _ index: Int, page: Int) {
        state.selection = rows[index].id
        state.selectionHint = index
        if index < state.treeScroll { state.treeScroll = index }
        if index >= state.treeScroll + page { state.treeScroll = index - page + 1 }
    }

    private static func toggle(_ state: inout DashboardState) {
        let rows = state.visibleRows()
        guard let row = state.selectedRow(in: rows), row.hasChildren else { return }
        if state.collapsed.contains(row.id) { state.collapsed.remove(row.id) } else { state.collapsed.insert(row.id) }
    }

    private static func collapseOrParent(_ state: inout DashboardState, page: Int) {
        let rows = state.visibleRows()
        guard let index = state.selectedRowIndex(in: rows) else { return }
        let row = rows[index]
        if row.hasChildren && row.isExpanded && state.filter.isEmpty {
            state.collapsed.insert(row.id)
            return
        }
        if let parent = rows[..<index].lastIndex(where: { $0.depth < row.depth }) { select(&state, rows, parent, page: page) }
    }

    private static func expandOrChild(_ state: inout DashboardState, page: Int) {
        let rows = state.visibleRows()
        guard let index = state.selectedRowIndex(in: rows) else { return }
        let row = rows[index]
        if row.hasChildren && !row.isExpanded {
            state.collapsed.remove(row.id)
        } else if row.hasChildren, index + 1 < rows.count {
            select(&state, rows, index + 1, page: page)
        }
    }
}
