import AshFlare

extension RenderContext {
    /// Line 0: title, trees, uptime, totals, restart rate, refresh rate, paused marker.
    func headerLine() -> StyledLine {
        var line = StyledLine()
        line.append(" \(state.options.title) ", .header)
        if state.isPaused { line.append("PAUSED ", .critical) }
        if state.replay != nil { line.append("REPLAY ", .warning) }
        if state.recording != nil { line.append((ascii ? "* " : "● ") + "REC ", .critical) }
        if let badge = state.options.badge { line.append("\(badge) ", .warning) }
        var totals = Totals()
        var restartsPerMinute = 0
        for (index, node) in nodes.enumerated() {
            totals.add(node.model.totals)
            let since = now(index) - .seconds(60)
            for offset in 0..<node.model.restarts.count where node.model.restarts[offset].time > since { restartsPerMinute += 1 }
        }
        let separator = " \(glyphs.separator) "
        if nodes.count == 1 {
            let node = nodes[0]
            line.append(cut(node.name, 24), .accent)
            if let root = node.model.root, root.state.isActive, let started = root.startedAt {
                line.append(" up \(Format.duration(now(0) - started))")
            }
            switch node.connection {
            case .connected: break
            case .connecting: line.append(" connecting…", .starting)
            case .stopped: line.append(" stopped", .stopped)
            case .disconnected: line.append(" disconnected", .failed)
            }
        } else {
            let connected = nodes.filter { $0.connection == .connected }.count
            line.append("\(nodes.count) nodes", .accent)
            line.append(" (\(connected) connected)", connected == nodes.count ? .normal : .warning)
        }
        line.append(separator, .dim)
        line.append("\(totals.supervisors) sup \(totals.workers) wrk")
        line.append(separator, .dim)
        line.append("\(glyphs.running) \(totals.running) up", .running)
        line.append(" \(glyphs.backingOff) \(totals.backingOff) backoff", totals.backingOff > 0 ? .backingOff : .dim)
        line.append(" \(glyphs.stopped) \(totals.stopped) stopped", totals.stopped > 0 ? .normal : .dim)
        line.append(" \(glyphs.failed) \(totals.failed) failed", totals.failed > 0 ? .failed : .dim)
        if totals.abandoned > 0 { line.append(" \(glyphs.abandoned) \(totals.abandoned) abandoned", .abandoned) }
        var tail = StyledLine()
        tail.append(separator, .dim)
        tail.append("\(glyphs.restartMark) \(restartsPerMinute)/min", restartsPerMinute > 0 ? .warning : .dim)
        if line.width + tail.width <= layout.width { line.append(tail) }
        let refresh = "\(separator)refresh \(Format.period(state.options.refreshInterval))"
        if line.width + TextWidth.cells(refresh) <= layout.width { line.append(refresh, .dim) }
        return line.prefix(cells: layout.width)
    }

    /// Line 1: restart sparklines of the last 60 s for the whole tree and the selected node.
    func sparklineLine() -> StyledLine {
        var line = StyledLine()
        let label = " restarts, last 60s: "
        line.append(label, .dim)
        let cells = max(6, min(30, (layout.width - TextWidth.cells(label) - 30) / 2))
        let selected = self.selected
        let tree = selected?.tree ?? 0
        guard nodes.indices.contains(tree) else { return line }
        let marks = nodes[tree].model.restarts
        let now = self.now(tree)
        let all = buckets(marks, now: now, cells: cells, under: nil)
        line.append(nodes.count == 1 ? "tree " : "\(cut(nodes[tree].name, 12)) ", .normal)
        appendSparkline(&line, all)
        line.append(" \(all.reduce(0, +))", .normal)
        if let selected, selected.node.path.parent != nil {
            let mine = buckets(marks, now: now, cells: cells, under: selected.node.path)
            line.append("   \(cut(selected.node.id, 16)) ", .normal)
            appendSparkline(&line, mine)
            line.append(" \(mine.reduce(0, +))", .normal)
        }
        return line.prefix(cells: layout.width)
    }

    /// Restarts per time slice over the last 60 s (oldest first), for the subtree at `path` or all.
    func buckets(_ marks: Ring<RestartMark>, now: Duration, cells: Int, under path: ChildPath?) -> [Int] {
        var counts = [Int](repeating: 0, count: cells)
        let window = Duration.seconds(60)
        let start = now - window
        for offset in stride(from: marks.count - 1, through: 0, by: -1) {
            let mark = marks[offset]
            guard mark.time > start else { break }
            if let path, !mark.path.isDescendant(of: path) { continue }
            let position = Int(Format.milliseconds(mark.time - start) * Int64(cells) / 60_000)
            counts[min(cells - 1, max(0, position))] += 1
        }
        return counts
    }

    func appendSparkline(_ line: inout StyledLine, _ counts: [Int]) {
        let peak = max(1, counts.max() ?? 1)
        for count in counts {
            if count == 0 {
                line.append(glyphs.sparks[1], .dim)
            } else {
                let level = 2 + (count * 6 + peak - 1) / peak
                line.append(glyphs.sparks[min(8, level)], count * 2 >= peak ? .warning : .backingOff)
            }
        }
    }

    /// The second-to-last line: the latest result or hint, or the filter being typed.
    func statusLine() -> StyledLine {
        var line = StyledLine()
        if state.editingFilter {
            line.append(" /", .accent)
            line.append(cut(state.filter, layout.width - 4))
            line.append(ascii ? "_" : "▏", .accent)
            return line
        }
        if let status = state.status {
            let role: Role = switch status.tone {
            case .info: .normal
            case .ok: .ok
            case .error: .failed
            }
            let mark = switch status.tone {
            case .info: ""
            case .ok: glyphs.logOK + " "
            case .error: glyphs.logFailed + " "
            }
            line.append(" " + cut(mark + status.text, layout.width - 2), role)
        } else if !state.filter.isEmpty {
            line.append(" filter: ", .dim)
            line.append(cut(state.filter, layout.width - 20), .accent)
            line.append("  (Esc clears)", .dim)
        }
        return line
    }

    /// The last line: the keys that work now.
    func keysLine() -> StyledLine {
        let pairs: [(String, String)]
        switch state.overlay {
        case .help: pairs = [("Esc", "close help")]
        case .confirm, .confirmBulk: pairs = [("y", "confirm"), ("n", "cancel")]
        case .picker: pairs = [("↑↓", "choose"), ("Enter", "start"), ("Esc", "cancel")]
        case .arguments: pairs = [("type", "arguments"), ("Enter", "start"), ("Esc", "back")]
        case nil:
            if let pane = state.logsPane {
                pairs = pane.editingSearch
                    ? [("type", "search"), ("Enter", "keep"), ("Esc", "clear")]
                    : [("↑↓", "scroll"), ("End", "newest"), ("f", pane.follow ? "unfollow" : "follow"), ("W", pane.wrap ? "cut" : "wrap"),
                       ("/", "search"), ("n N", "match"), ("L", pane.source == .live ? "previous" : "live"), ("w", "save"),
                       ("Esc", "back"), ("q", "quit")]
            } else if state.replay != nil, !state.editingFilter {
                pairs = [("Space", state.replay?.playing == true ? "pause" : "play"), (".", "step"), (",", "back"), ("+-", "speed"),
                         ("t", "jump"), ("↑↓", "move"), ("/", "filter"), ("?", "help"), ("q", "quit")]
            } else if state.editingFilter {
                pairs = [("type", "filter"), ("Enter", "keep"), ("Esc", "clear"), ("↑↓", "move")]
            } else if state.focus == .log {
                pairs = [("↑↓", "scroll"), ("End", "newest"), ("f", state.logFollowsSelection ? "all events" : "subtree only"),
                         ("Tab", "pane"), ("?", "help"), ("q", "quit")]
            } else {
                var list: [(String, String)] = [("↑↓", "move"), ("←→", "fold"), ("/", "filter"), ("n", "trouble"), ("l", "logs")]
                if !state.options.readOnly {
                    list += [("x", "kill"), ("r", "restart"), ("t", "term"), ("d", "del"), ("a", "add"), ("s", "shut")]
                }
                list += state.options.customKeys
                    .filter { !(state.options.readOnly && $0.changesTree) }
                    .map { (String($0.character), $0.label) }
                list += [("p", state.isPaused ? "resume" : "pause"), ("Tab", "pane"), ("?", "help"), ("q", "quit")]
                pairs = list
            }
        }
        var line = StyledLine()
        for (key, meaning) in pairs {
            let keyText = ascii ? key.replacing("↑↓", with: "up/dn").replacing("←→", with: "lt/rt") : key
            let piece = " \(keyText) \(meaning)"
            if line.width + TextWidth.cells(piece) + 1 > layout.width { break }
            line.append(" ")
            line.append(keyText, .accent)
            line.append(" \(meaning)", .dim)
        }
        if state.options.readOnly && state.overlay == nil {
            let tag = "  [read-only]"
            if line.width + tag.count <= layout.width { line.append(tag, .warning) }
        }
        return line
    }
}
