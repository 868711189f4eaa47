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
            if let row = state.selectedRow(in: rows), row.slot == nil {
                let info = nodes[row.id.node]
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
        let uptime = node.state.isActive ? node.startedAt.map { ", up \(Format.duration(now - $0))" } ?? "" : ""
        lines.append(field("incarn.", "#\(node.incarnation)\(uptime)", width: width))
        let recent = countRestarts(of: node.path, in: model, since: now - .seconds(60))
        lines.append(field("restarts", "\(node.restartCount) (\(recent) in the last 60s)", width: width))
        if let details = node.supervisor {
            lines.append(field("strategy", Format.strategyName(details.strategy), width: width))
            let used = model.windowCount(model.index(of: node.path) ?? 0, at: now)
            lines.append(field("intensity", "\(used)/\(details.intensity.maxRestarts) in \(Format.period(details.intensity.period))", width: width,
                               role: used >= details.intensity.maxRestarts && used > 0 ? .critical : .normal))
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
            let ago = node.lastExitAt.map { " (\(Format.duration(now - $0)) ago)" } ?? ""
            lines.append(field("last exit", exit.description + ago, width: width, role: exit.isAbnormal ? .failed : .normal))
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

    private func countRestarts(of path: ChildPath, in model: TreeModel, since: Duration) -> Int {
        var count = 0
        for offset in stride(from: model.restarts.count - 1, through: 0, by: -1) {
            let mark = model.restarts[offset]
            guard mark.time > since else { break }
            if mark.path == path { count += 1 }
        }
        return count
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
