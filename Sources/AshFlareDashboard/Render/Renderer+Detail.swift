import AshFlare

extension RenderContext {
    /// The detail pane: everything about the selected node.
    func detailPane(rect: Rect) -> [StyledLine] {
        var lines: [StyledLine] = []
        let width = rect.width
        let focused = state.focus == .detail
        var title = StyledLine()
        title.append(cut(" Detail ", width), focused ? .accent : .header)
        lines.append(title)
        guard let (tree, node) = selected else {
            if let index = selectedIndex, rows[index].slot == nil {
                let info = nodes[rows[index].id.node]
                lines.append(field("node", info.name, width: width))
                lines.append(field("status", "\(info.connection)", width: width))
            } else {
                lines.append(StyledLine(" " + cut("nothing selected", width - 1), .dim))
            }
            return padded(lines, rect)
        }
        let now = self.now(tree)
        let model = nodes[tree].model
        var name = StyledLine()
        name.append(" " + cut(node.path.description, width - 1), .header)
        lines.append(name)
        let kind = node.isSupervisor ? "supervisor" : "worker"
        lines.append(field("type", "\(kind) \(glyphs.separator) \(node.restartPolicy.rawValue)", width: width))
        var stateLine = StyledLine()
        stateLine.append(fit(" state", 11), .dim)
        stateLine.append(glyphs.glyph(for: node.state) + " ", Glyphs.role(for: node.state))
        stateLine.append(cut(stateText(node.state, now: now), width - 13), Glyphs.role(for: node.state))
        lines.append(stateLine)
        if let since = Self.stateSince(node) {
            lines.append(field("for", "\(Format.duration(now - since)) in this state", width: width))
        }
        let uptime = node.state.isActive ? node.startedAt.map { ", up \(Format.duration(now - $0))" } ?? "" : ""
        lines.append(field("incarn.", "#\(node.incarnation)\(uptime)", width: width))
        let recent = self.recent[tree][node.path]
        lines.append(field("restarts", "\(node.restartCount) (\(recent) in the last 60s)", width: width))
        if self.recent[tree].isFlapping(node) {
            lines.append(field("flapping", "\(glyphs.flapping) keeps restarting", width: width, role: .warning))
        }
        if let details = node.supervisor {
            lines.append(field("strategy", Format.strategyName(details.strategy), width: width))
            let used = model.windowCount(model.index(of: node.path) ?? 0, at: now)
            lines.append(field("intensity", "\(used)/\(details.intensity.maxRestarts) in \(Format.period(details.intensity.period))", width: width,
                               role: used >= details.intensity.maxRestarts && used > 0 ? .critical : .normal))
            if let eta = EscalationForecast.timeToEscalation(window: details.recentRestarts, intensity: details.intensity, now: now) {
                let text = eta == .zero ? "the next restart escalates" : "escalates in ~\(Format.duration(eta)) at this pace"
                lines.append(field("forecast", text, width: width, role: eta == .zero ? .critical : .warning))
            }
            lines.append(field("children", "\(node.children.count)", width: width))
            if !details.templates.isEmpty {
                lines.append(field("templates", details.templates.map(\.name).joined(separator: ", "), width: width))
            }
        } else {
            lines.append(field("backoff", Format.backoff(node.backoff, ascii: ascii), width: width))
        }
        lines.append(field("shutdown", Format.shutdown(node.shutdown), width: width))
        if let process = node.process {
            var figures = ["pid \(process.pid)"]
            if let cpu = process.cpuPercent { figures.append("cpu \(Format.percent(cpu))") }
            if let rss = process.residentBytes { figures.append("rss \(Format.bytes(rss))") }
            lines.append(field("process", figures.joined(separator: " · "), width: width))
        }
        if let exit = node.lastExit {
            // The whole reason, wrapped: an error's text is what the user came for.
            let ago = node.lastExitAt.map { " (\(Format.duration(now - $0)) ago)" } ?? ""
            for (index, piece) in hardWrap(exit.description + ago, width: max(1, width - 11)).enumerated() {
                lines.append(field(index == 0 ? "last exit" : "", piece, width: width, role: exit.isAbnormal ? .failed : .normal))
            }
        }
        if node.recentExits.count > 0 {
            lines.append(StyledLine(" recent exits", .dim))
            for exit in node.recentExits.reversed() {
                var line = StyledLine()
                line.append("  +" + Format.stamp(exit.at) + " ", .dim)
                line.append("#\(exit.incarnation) ", .dim)
                line.append(cut(exit.reason.description, max(0, width - line.width)), exit.reason.isAbnormal ? .failed : .normal)
                lines.append(line)
            }
        }
        if let log = state.detailLog, log.node == tree, log.path == node.path {
            lines.append(StyledLine(" last log lines" + (log.lines.isEmpty ? ": none yet" : ""), .dim))
            for entry in log.lines {
                var line = StyledLine()
                line.append("  #\(entry.incarnation) ", .dim)
                line.append(cut(entry.displayText, max(0, width - line.width)), entry.stream == .stderr ? .failed : .normal)
                lines.append(line)
            }
        }
        if let context = contextValues(of: node, in: model), !context.isEmpty {
            lines.append(StyledLine(" context store (\(context.count) keys)", .dim))
            for key in context.keys.sorted() {
                var line = StyledLine()
                line.append("  " + cut(key, max(4, width / 3)) + " = ", .dim)
                line.append(cut(context[key]!.description, max(0, width - line.width)))
                lines.append(line)
            }
        }
        return padded(lines, rect)
    }

    private func contextValues(of node: ModelNode, in model: TreeModel) -> [String: ContextValue]? {
        if let own = node.supervisor?.context { return own }
        var parent = node.parent
        while let slot = parent {
            if let store = model.nodes[slot].supervisor?.context { return store }
            parent = model.nodes[slot].parent
        }
        return nil
    }

    /// When the node entered its current state: its start while active, its exit otherwise.
    static func stateSince(_ node: ModelNode) -> Duration? {
        node.state.isActive ? node.startedAt : node.lastExitAt
    }

    /// Splits `text` into lines of at most `width` cells, at spaces where it can and inside a
    /// word where it must; nothing is cut.
    func hardWrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        var used = 0
        for word in TextWidth.sanitize(text, ascii: ascii).split(separator: " ", omittingEmptySubsequences: false) {
            let wordWidth = TextWidth.cells(String(word))
            if used > 0 && used + 1 + wordWidth <= width {
                current += " " + word
                used += 1 + wordWidth
                continue
            }
            if used > 0 {
                lines.append(current)
                current = ""
                used = 0
            }
            for character in word {
                let cells = TextWidth.cells(character)
                if used + cells > width && used > 0 {
                    lines.append(current)
                    current = ""
                    used = 0
                }
                current.append(character)
                used += cells
            }
        }
        if used > 0 || lines.isEmpty { lines.append(current) }
        return lines
    }

    private func field(_ name: String, _ value: String, width: Int, role: Role = .normal) -> StyledLine {
        var line = StyledLine()
        line.append(fit(" " + name, 11), .dim)
        line.append(cut(value, max(0, width - 11)), role)
        return line
    }

    func padded(_ lines: [StyledLine], _ rect: Rect) -> [StyledLine] {
        var result = Array(lines.prefix(rect.height)).map { $0.prefix(cells: rect.width) }
        while result.count < rect.height { result.append(StyledLine()) }
        return result
    }
}
