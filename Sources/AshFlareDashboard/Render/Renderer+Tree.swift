import AshFlare

/// The tree pane's columns for a pane width: names first get what they need (up to 48 cells),
/// then the intensity / last-exit column takes the rest.
struct TreeColumns {
    let name: Int
    let state = 15
    let policy: Int
    let restarts = 6
    let info: Int
    let uptime: Int

    /// The smallest info column that shows its whole title.
    static let infoMinimum = 21
    /// Every column but the name, at full width.
    static let fixedWidth = 15 + 6 + 6 + 8 + infoMinimum

    /// - Parameters:
    ///   - width: The pane's width.
    ///   - wantedName: The name column width that shows every name whole.
    init(width: Int, wantedName: Int) {
        policy = width >= 60 ? 6 : 0
        uptime = width >= 76 ? 8 : 0
        let others = state + policy + restarts + uptime
        name = max(16, min(48, wantedName, width - others - Self.infoMinimum))
        let rest = width - name - others
        info = rest >= 8 ? rest : 0
    }

    /// The info column's title, the longest that fits whole.
    var infoTitle: String {
        ["INTENSITY / LAST EXIT", "INTENSITY / EXIT", "GAUGE / EXIT", "INFO"].first { $0.count <= info } ?? ""
    }
}

extension RenderContext {
    /// The tree pane: a title row, then the visible rows around the selection.
    func treePane() -> [StyledLine] {
        let rect = layout.tree
        var lines = [StyledLine](repeating: StyledLine(), count: rect.height)
        guard rect.height > 0 else { return lines }
        let columns = TreeColumns(width: rect.width, wantedName: state.wantedTreeWidth - TreeColumns.fixedWidth)
        lines[0] = titleRow(columns, width: rect.width)
        let page = rect.height - 1
        guard page > 0 else { return lines }
        if rows.isEmpty {
            let message = nodes.first.map { node -> String in
                if node.model.loaded { return "(nothing matches the filter '\(state.filter)')" }
                if case .disconnected(let reason) = node.connection { return "cannot reach \(node.name): \(reason) (retrying)" }
                return "connecting to \(node.name)…"
            } ?? ""
            if lines.count > 1 { lines[1] = StyledLine(" " + cut(message, rect.width - 2), .dim) }
            return lines
        }
        let selected = selectedIndex ?? 0
        let top = state.firstVisibleRow(rows: rows.count, selected: selected, page: page)
        for offset in 0..<min(page, rows.count - top) {
            let index = top + offset
            var line = treeRow(rows[index], isSelected: index == selected, columns: columns, width: rect.width)
            if index == selected {
                line.pad(to: rect.width)
                line.markSelected()
            }
            lines[1 + offset] = line
        }
        if top > 0 { lines[0] = lines[0].overlaid(with: StyledLine(ascii ? "^" : "▲", .dim), at: rect.width - 1) }
        if top + page < rows.count, let last = lines.indices.last {
            lines[last] = lines[last].prefix(cells: rect.width - 1).overlaid(with: StyledLine(ascii ? "v" : "▼", .dim), at: rect.width - 1)
        }
        return lines
    }

    private func titleRow(_ columns: TreeColumns, width: Int) -> StyledLine {
        var line = StyledLine()
        line.append(fit(state.sort == .spec ? "   NAME" : "   NAME by \(state.sort.rawValue)", columns.name), .dim)
        line.append(fit("STATE", columns.state), .dim)
        if columns.policy > 0 { line.append(fit("POLICY", columns.policy), .dim) }
        line.append(fit("   \(glyphs.restartMark) ", columns.restarts), .dim)
        if columns.info > 0 { line.append(fit(columns.infoTitle, columns.info), .dim) }
        if columns.uptime > 0 { line.append(fit("  UPTIME", columns.uptime), .dim) }
        return line.prefix(cells: width)
    }

    private func treeRow(_ row: TreeRow, isSelected: Bool, columns: TreeColumns, width: Int) -> StyledLine {
        var line = StyledLine()
        let tree = nodes[row.id.node]
        let dim = tree.connection != .connected
        let marker = isSelected ? glyphs.selection : (state.marked.contains(row.id) ? glyphs.mark : " ")
        let indent = String(repeating: " ", count: 2 * row.depth)
        let expander = row.hasChildren ? (row.isExpanded ? glyphs.expanded : glyphs.collapsed) : " "
        guard let slot = row.slot else { return treeHeaderRow(row, tree: tree, marker: marker, expander: expander, width: width) }
        let node = tree.model.nodes[slot]
        let now = self.now(row.id.node)
        let prefix = marker + indent + expander
        line.append(marker, state.marked.contains(row.id) ? .accent : .dim)
        line.append(indent + expander, .dim)
        let stateRole = dim ? Role.dim : Glyphs.role(for: node.state)
        line.append(glyphs.glyph(for: node.state) + " ", stateRole)
        let nameRoom = columns.name - TextWidth.cells(prefix) - 2
        if nameRoom > 0 {
            appendName(&line, node.id, cells: nameRoom, role: dim ? .dim : (node.isSupervisor ? .header : .normal))
        }
        line.pad(to: columns.name)
        line.append(fit(" " + stateText(node.state, now: now), columns.state), stateRole)
        if columns.policy > 0 { line.append(fit(Format.policy(node.restartPolicy), columns.policy), .dim) }
        let restarts = "\(node.restartCount)"
        let flapping = recent[row.id.node].isFlapping(node)
        line.append(fit(String(repeating: " ", count: max(0, 4 - restarts.count)) + restarts, columns.restarts - 2),
                    node.restartCount > 0 ? .normal : .dim)
        line.append(fit(flapping ? glyphs.flapping : "", 2), flapping ? .warning : .dim)
        if columns.info > 0 {
            let rollUp = row.hasChildren && !row.isExpanded ? RollUp(below: slot, in: tree.model) : nil
            if let rollUp, !rollUp.isEmpty, let worst = rollUp.worst {
                line.append(fit(glyphs.glyph(for: worst) + " " + rollUp.summary(separator: glyphs.separator) + " below", columns.info),
                            Glyphs.role(for: worst))
            } else if let details = node.supervisor {
                appendGauge(&line, slot: slot, details: details, model: tree.model, now: now, cells: columns.info)
            } else if let exit = node.lastExit {
                let ago = node.lastExitAt.map { " (\(Format.duration(now - $0)) ago)" } ?? ""
                line.append(fit(exit.description + ago, columns.info), exit.isAbnormal ? .failed : .dim)
            } else {
                line.append(fit("", columns.info))
            }
        }
        if columns.uptime > 0 {
            let uptime = node.state.isActive ? node.startedAt.map { Format.duration(now - $0) } ?? "" : "-"
            line.append(fit(String(repeating: " ", count: max(0, columns.uptime - 1 - uptime.count)) + uptime, columns.uptime),
                        node.state.isActive ? .normal : .dim)
        }
        return line.prefix(cells: width)
    }

    private func appendName(_ line: inout StyledLine, _ name: String, cells: Int, role: Role) {
        let text = cut(name, cells)
        let characters = Array(text)
        let needle = state.filter.lowercased().map { String($0) }
        let lowered = characters.map { $0.lowercased() }
        guard !needle.isEmpty, lowered.count == characters.count,
              let start = (0...max(0, lowered.count - needle.count)).first(where: { offset in
                  offset + needle.count <= lowered.count && Array(lowered[offset..<(offset + needle.count)]) == needle
              })
        else {
            line.append(text, role)
            return
        }
        line.append(String(characters[..<start]), role)
        line.append(String(characters[start..<(start + needle.count)]), .accent)
        line.append(String(characters[(start + needle.count)...]), role)
    }

    private func treeHeaderRow(_ row: TreeRow, tree: NodeState, marker: String, expander: String, width: Int) -> StyledLine {
        var line = StyledLine()
        line.append(marker + expander, .dim)
        let (glyph, role, text): (String, Role, String) = switch tree.connection {
        case .connected: (glyphs.connected, .running, "connected")
        case .connecting: (glyphs.connecting, .starting, "connecting…")
        case .stopped: (glyphs.stopped, .stopped, "tree stopped")
        case .disconnected(let reason): (glyphs.disconnected, .failed, "disconnected: \(reason) (retrying)")
        }
        line.append(glyph + " ", role)
        line.append(cut(tree.name, max(8, width / 3)), .header)
        line.append("  ")
        let count = tree.model.nodes.lazy.filter(\.isLive).count
        line.append(cut(text + (tree.model.loaded ? " \(glyphs.separator) \(count) nodes" : ""), max(0, width - line.width)), role)
        return line.prefix(cells: width)
    }

    /// The state column: `running`, `backoff 1.2s`, …
    func stateText(_ state: ChildState, now: Duration) -> String {
        switch state {
        case .backingOff(let until): "backoff \(Format.duration(max(.zero, until - now)))"
        case .failed: "FAILED"
        default: state.description
        }
    }

    /// A supervisor's strategy and intensity gauge: `1:1 ▮▮▯ 2/3 in 5s`.
    private func appendGauge(_ line: inout StyledLine, slot: Int, details: SupervisorDetails, model: TreeModel, now: Duration, cells: Int) {
        let start = line.width
        line.append(Format.strategy(details.strategy) + " ", .normal)
        let used = model.windowCount(slot, at: now)
        let limit = details.intensity.maxRestarts
        let role: Role = used >= limit && used > 0 ? .critical : (used * 2 >= limit && used > 0 ? .warning : (used > 0 ? .normal : .dim))
        let room = cells - (line.width - start)
        let text = " \(used)/\(limit) in \(Format.period(details.intensity.period))"
        let gaugeCells = min(max(1, limit), room - TextWidth.cells(text) >= 5 ? 5 : 3)
        let filled = limit == 0 ? (used > 0 ? gaugeCells : 0) : min(gaugeCells, (used * gaugeCells + limit - 1) / limit)
        if room >= gaugeCells + TextWidth.cells(text) {
            line.append(String(repeating: glyphs.gaugeFull, count: filled), role)
            line.append(String(repeating: glyphs.gaugeEmpty, count: gaugeCells - filled), .dim)
            line.append(text, role)
            if let eta = EscalationForecast.timeToEscalation(window: details.recentRestarts, intensity: details.intensity, now: now) {
                let forecast = eta == .zero ? " next escalates" : " esc in \(Format.duration(eta))"
                if room - gaugeCells - TextWidth.cells(text) >= TextWidth.cells(forecast) { line.append(forecast, role) }
            }
        } else if room > 0 {
            line.append(cut(text, room), role)
        }
        line.pad(to: start + cells)
    }
}
