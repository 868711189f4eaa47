import AshFlare

extension Reducer {
    /// `l`: opens the logs pane on the selected worker (supervisors have no log).
    static func openLogs(_ state: inout DashboardState) -> [DashboardCommand] {
        guard let selection = state.selection, let path = selection.path,
              let node = state.visibleNodes[selection.node].model.node(at: path)
        else {
            state.setStatus("logs: select a worker first", .error)
            return []
        }
        guard !node.isSupervisor else {
            state.setStatus("logs: \(path) is a supervisor; supervisors have no log (select a worker)", .error)
            return []
        }
        let pane = LogsPane(node: selection.node, path: path)
        state.logsPane = pane
        state.setStatus("logs of \(path): following (L previous incarnation, / search, w save, Esc back)")
        return [pane.readCommand]
    }

    /// Keys while the logs pane is open; the pane takes every key but `q`, `?` and Ctrl-C.
    static func logsKey(_ state: inout DashboardState, _ pane: LogsPane, _ key: Key) -> [DashboardCommand] {
        var pane = pane
        defer { state.logsPane = state.logsPane == nil ? nil : pane }
        if pane.editingSearch {
            switch key {
            case .character(let character): pane.search.append(character)
            case .backspace:
                if pane.search.isEmpty { pane.editingSearch = false } else { pane.search.removeLast() }
            case .enter:
                pane.editingSearch = false
                showMatch(&pane, &state, forward: false, fromNewest: true)
                return []
            case .escape:
                pane.search = ""
                pane.editingSearch = false
                state.setStatus("search cleared")
                return []
            default: return []
            }
            state.setStatus("search: \(pane.search) (\(pane.matchIndices.count) lines match; Enter keeps, Esc clears)")
            return []
        }
        let page = max(1, state.layout().tree.height + (state.layout().bottom?.height ?? 0) - 1)
        switch key {
        case .character("q"), .control("c"): return [.quit]
        case .character("?"): state.overlay = .help
        case .escape, .character("l"):
            if !pane.search.isEmpty {
                pane.search = ""
                state.setStatus("search cleared")
                return []
            }
            state.logsPane = nil
            state.setStatus("logs closed")
            return [.stopLog]
        case .up, .character("k"): scroll(&pane, by: 1)
        case .down, .character("j"): scroll(&pane, by: -1)
        case .pageUp, .control("b"): scroll(&pane, by: page)
        case .pageDown, .control("f"): scroll(&pane, by: -page)
        case .home, .character("g"): scroll(&pane, by: pane.lines.count)
        case .end, .character("G"):
            pane.scroll = 0
            pane.follow = true
        case .character("f"):
            pane.follow.toggle()
            if pane.follow { pane.scroll = 0 }
            state.setStatus(pane.follow ? "following the newest line" : "follow off: the view stays where it is")
        case .character("W"):
            pane.wrap.toggle()
            state.setStatus(pane.wrap ? "long lines wrap" : "long lines are cut")
        case .character("L"):
            pane.source = pane.source == .live ? .previous : .live
            pane.lines.removeAll()
            pane.loaded = false
            pane.scroll = 0
            pane.follow = true
            pane.missed = 0
            state.setStatus(pane.source == .previous
                ? "logs of \(pane.path): the previous incarnation (the lines before the last restart; L for live)"
                : "logs of \(pane.path): following (L previous incarnation)")
            return [.stopLog, pane.readCommand]
        case .character("/"):
            pane.editingSearch = true
            pane.search = ""
            state.setStatus("search: type text (Enter keeps, Esc clears; n / N next / previous match)")
        case .character("n"): showMatch(&pane, &state, forward: true, fromNewest: false)
        case .character("N"): showMatch(&pane, &state, forward: false, fromNewest: false)
        case .character("w"):
            let file = state.options.saveDirectory + "/" + pane.suggestedFileName
            state.setStatus("saving \(pane.lines.count) lines to \(file)")
            return [.saveFile(path: file, text: pane.fileText)]
        default: break
        }
        return []
    }

    private static func scroll(_ pane: inout LogsPane, by delta: Int) {
        pane.scroll = min(max(0, pane.scroll + delta), max(0, pane.lines.count - 1))
        if delta > 0 && pane.scroll > 0 { pane.follow = false }
        if delta < 0 && pane.scroll == 0 { pane.follow = true }
    }

    /// Scrolls to the next (older, `N`… newer, `n`) line that matches the search.
    private static func showMatch(_ pane: inout LogsPane, _ state: inout DashboardState, forward: Bool, fromNewest: Bool) {
        let matches = pane.matchIndices
        guard !matches.isEmpty else {
            state.setStatus(pane.search.isEmpty ? "no search (/ to search)" : "no line matches \(pane.search)", pane.search.isEmpty ? .info : .error)
            return
        }
        let current = pane.lines.count - 1 - pane.scroll
        let target: Int
        if fromNewest {
            target = matches.last!
        } else if forward {
            target = matches.first { $0 > current } ?? matches.first!
        } else {
            target = matches.last { $0 < current } ?? matches.last!
        }
        pane.scroll = pane.lines.count - 1 - target
        pane.follow = pane.scroll == 0 && pane.follow
        let position = (matches.firstIndex(of: target) ?? 0) + 1
        state.setStatus("match \(position) of \(matches.count) for \(pane.search) (n newer, N older)", .ok)
    }
}
