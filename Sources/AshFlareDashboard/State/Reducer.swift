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
        let commands = dispatch(&state, key)
        state.refreshConfirmPreviews()
        return commands
    }

    private static func dispatch(_ state: inout DashboardState, _ key: Key) -> [DashboardCommand] {
        switch state.overlay {
        case .help:
            if [.escape, .enter, .character("?"), .character("q")].contains(key) { state.overlay = nil }
            return []
        case .confirm(let request):
            return confirm(&state, request, key)
        case .confirmBulk(let requests, _):
            return confirmBulk(&state, requests, key)
        case .picker(let picker):
            return pick(&state, picker, key)
        case .arguments(let picker, let text):
            return typeArguments(&state, picker, text, key)
        case nil:
            break
        }
        if let player = state.replay, !state.editingFilter, let commands = replayKey(&state, player, key) { return commands }
        if let pane = state.logsPane {
            let pressed = if case .character(let character) = key, let builtIn = state.options.keyMap[character] { Key.character(builtIn) } else { key }
            return logsKey(&state, pane, pressed)
        }
        if state.editingFilter, editFilter(&state, key) { return [] }
        if case .character(let character) = key, let builtIn = state.options.keyMap[character] {
            return normal(&state, .character(builtIn))
        }
        return normal(&state, key)
    }

    private static func normal(_ state: inout DashboardState, _ key: Key) -> [DashboardCommand] {
        let layout = state.layout()
        if state.focus == .log, scrollLog(&state, key, page: layout.logPage) { return [] }
        switch key {
        case .character("q"), .control("c"):
            return [.quit]
        case .up, .character("k"): move(&state, by: -1, page: layout.treePage)
        case .down, .character("j"): move(&state, by: 1, page: layout.treePage)
        case .pageUp, .control("b"): move(&state, by: -layout.treePage, page: layout.treePage)
        case .pageDown, .control("f"): move(&state, by: layout.treePage, page: layout.treePage)
        case .character(" "): toggleMark(&state, page: layout.treePage)
        case .character("n"): jumpToTrouble(&state, forward: true, page: layout.treePage)
        case .character("N"): jumpToTrouble(&state, forward: false, page: layout.treePage)
        case .character("C"): collapseAll(&state)
        case .character("E"): expandAll(&state)
        case .character("o"): cycleSort(&state)
        case .character("i"):
            state.detailMode = state.detailMode.next
            if state.detailMode == .hidden && state.focus == .detail { state.focus = .tree }
            state.setStatus("detail pane: \(state.detailMode) (i for the next)")
        case .mouse(let event): mouse(&state, event, layout: layout)
        case .home, .character("g"): move(&state, by: Int.min / 2, page: layout.treePage)
        case .end, .character("G"): move(&state, by: Int.max / 2, page: layout.treePage)
        case .left, .character("h"): collapseOrParent(&state, page: layout.treePage)
        case .right, .character("→"): expandOrChild(&state, page: layout.treePage)
        case .character("l"): return openLogs(&state)
        case .enter: toggle(&state)
        case .character("/"):
            state.editingFilter = true
            state.setStatus("filter: a name, state:backoff, failed, trouble, !running, /regex/ (Enter keeps, Esc clears)")
        case .escape:
            if !state.filter.isEmpty {
                state.filter = ""
                state.setStatus("filter cleared")
            } else if !state.marked.isEmpty {
                state.marked.removeAll()
                state.setStatus("marks cleared")
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
        case .character("R"):
            if state.recording != nil { return [.stopRecording] }
            guard state.options.canRecord else {
                state.setStatus("recording is not available here", .error)
                return []
            }
            let node = state.selection?.node ?? 0
            state.setStatus("starting a recording of \(state.nodes[node].name)…")
            return [.startRecording(node: node)]
        case .character("x") where !state.marked.isEmpty:
            return bulkKill(&state)
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
        let query = FilterQuery(state.filter)
        if let error = query.errors.first { state.setStatus("filter: \(error); left out", .error) }
        guard !query.isEmpty else { return true }
        let rows = state.visibleRows()
        var walks: [Int: TreeWalk] = [:]
        if let first = rows.first(where: { row in
            guard let slot = row.slot else { return false }
            let tree = state.visibleNodes[row.id.node]
            let walk = walks[row.id.node] ?? TreeWalk(
                model: tree.model, node: row.id.node, base: 0, sort: .spec, now: tree.treeTime(atWall: state.visibleWall),
                needsRecent: query.needsTrouble)
            walks[row.id.node] = walk
            return query.matches(tree.model.nodes[slot], trouble: walk.trouble(slot))
        }) {
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
