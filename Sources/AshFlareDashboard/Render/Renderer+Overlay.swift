import AshFlare

extension RenderContext {
    /// Every key, for the help overlay.
    static let helpEntries: [(String, String)] = [
        ("↑ ↓  j k", "move the selection"),
        ("PgUp PgDn  Home End", "page, first, last"),
        ("← →  h", "collapse / expand (or go to parent / child)"),
        ("Enter", "collapse or expand"),
        ("/", "filter: name, state:backoff, failed, !running, /re/"),
        ("n  N", "next / previous node in trouble"),
        ("C  E", "collapse all (with roll-ups) / expand all"),
        ("o", "sort: spec, restarts, uptime, state, escalation"),
        ("i", "detail pane: wide / narrow / hidden"),
        ("l", "logs of the selected worker (Esc back); in it:"),
        ("", "f follow, W wrap, / n N search, L previous, w save"),
        ("R", "record the tree to a file (R again stops)"),
        ("Space", "mark a row; x then kills every marked row at once"),
        ("mouse", "click: select (on a fold mark: fold); wheel: scroll"),
        ("Tab", "switch pane (tree, events, detail)"),
        ("f", "event log: selected subtree only / all"),
        ("p", "pause the view (trees keep running)"),
        ("+  -", "redraw faster / slower"),
        ("x", "kill: crash the child (reason killed)"),
        ("r", "restart a stopped child (or stop and start)"),
        ("t", "terminate: stop it, keep its spec"),
        ("d", "delete a stopped child's spec"),
        ("a", "add a child from the supervisor's templates"),
        ("s", "shut down a supervisor's subtree"),
        ("?", "this help"),
        ("q  Ctrl-C", "quit"),
    ]

    /// Draws `overlay` centred over `lines`.
    func draw(_ overlay: Overlay, over lines: [StyledLine]) -> [StyledLine] {
        let maxWidth = max(20, layout.width - 4)
        let (title, body): (String, [StyledLine]) = switch overlay {
        case .help: ("Keys", helpBody(width: min(maxWidth, 80) - 4))
        case .confirm(let request): ("Confirm", confirmBody(request, width: min(maxWidth, 60) - 4))
        case .confirmBulk(let requests, let skipped):
            ("Confirm bulk kill", bulkBody(requests, skipped: skipped, width: min(maxWidth, 64) - 4, height: layout.height - 4))
        case .picker(let picker): ("Add a child under \(picker.supervisor)", pickerBody(picker, width: min(maxWidth, 64) - 4))
        case .arguments(let picker, let text): ("Arguments", argumentsBody(picker, text: text, width: min(maxWidth, 64) - 4))
        }
        let innerWidth = min(maxWidth - 4, max(TextWidth.cells(title) + 4, body.map(\.width).max() ?? 0))
        let box = boxed(title: title, body: body, innerWidth: innerWidth, maxHeight: layout.height - 2)
        let top = max(1, (layout.height - box.count) / 2)
        let left = max(0, (layout.width - (innerWidth + 4)) / 2)
        var result = lines
        for (offset, line) in box.enumerated() where top + offset < result.count {
            result[top + offset] = result[top + offset].overlaid(with: line, at: left)
        }
        return result
    }

    private func boxed(title: String, body: [StyledLine], innerWidth: Int, maxHeight: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        var top = StyledLine()
        top.append(glyphs.topLeft + glyphs.horizontal + " ", .accent)
        let titleText = cut(title, innerWidth - 1)
        top.append(titleText, .header)
        top.append(" " + String(repeating: glyphs.horizontal, count: max(0, innerWidth - TextWidth.cells(titleText) - 1)) + glyphs.topRight, .accent)
        lines.append(top)
        for line in body.prefix(max(0, maxHeight - 2)) {
            var row = StyledLine()
            row.append(glyphs.vertical + " ", .accent)
            row.append(line.prefix(cells: innerWidth))
            row.pad(to: innerWidth + 2)
            row.append(" " + glyphs.vertical, .accent)
            lines.append(row)
        }
        lines.append(StyledLine(glyphs.bottomLeft + String(repeating: glyphs.horizontal, count: innerWidth + 2) + glyphs.bottomRight, .accent))
        return lines
    }

    private func helpBody(width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        let custom = state.options.customKeys
            .filter { !(state.options.readOnly && $0.changesTree) }
            .map { (String($0.character), $0.help) }
        for (keys, meaning) in Self.helpEntries.dropLast(2) + custom + Self.helpEntries.suffix(2) {
            if state.options.readOnly && ["x", "r", "t", "d", "a", "s", "Space"].contains(keys) { continue }
            if !state.options.mouse && keys == "mouse" { continue }
            var line = StyledLine()
            let keyText = ascii ? keys.replacing("↑ ↓", with: "Up Down").replacing("← →", with: "Left Right") : keys
            line.append(fit(keyText, 22), .accent)
            line.append(cut(meaning, max(0, width - 22)))
            lines.append(line)
        }
        if state.options.readOnly { lines.append(StyledLine("read-only: x r t d a s are disabled", .warning)) }
        lines.append(StyledLine("States: \(glyphs.running) running  \(glyphs.starting) starting  \(glyphs.backingOff) backing off", .dim))
        lines.append(StyledLine("        \(glyphs.stopped) stopped  \(glyphs.failed) failed  \(glyphs.abandoned) abandoned", .dim))
        lines.append(StyledLine("Esc or ? closes this help", .dim))
        return lines
    }

    private func confirmBody(_ request: ControlRequest, width: Int) -> [StyledLine] {
        let node = nodes.indices.contains(request.node) ? nodes[request.node].model.node(at: request.target) : nil
        var lines = wrap(Reducer.prompt(request, node: node), width: width).map { StyledLine($0, .normal) }
        if let node, node.incarnation != request.incarnation {
            lines += wrap("It restarted since (now #\(node.incarnation)): the action will be refused.", width: width).map { StyledLine($0, .warning) }
        }
        if state.confirmPreviews.request == [request], let preview = state.confirmPreviews.lines.first ?? nil {
            lines.append(StyledLine())
            lines += wrap(preview.text, width: width).map { StyledLine($0, preview.severe ? .warning : .dim) }
        }
        var keys = StyledLine()
        keys.append("[y]", .accent)
        keys.append(" yes    ")
        keys.append("[n]", .accent)
        keys.append(" no")
        lines.append(StyledLine())
        lines.append(keys)
        return lines
    }

    private func bulkBody(_ requests: [ControlRequest], skipped: [String], width: Int, height: Int) -> [StyledLine] {
        var lines = [StyledLine("Kill these \(requests.count) nodes in one instant?", .normal)]
        let room = max(1, height - 6 - (skipped.isEmpty ? 0 : 1))
        let previews = state.confirmPreviews.request == requests ? state.confirmPreviews.lines : []
        for (index, request) in requests.prefix(requests.count > room ? room - 1 : room).enumerated() {
            var line = StyledLine("  " + cut("\(request.target) (#\(request.incarnation))", width - 2), .header)
            // Each alone, as the planner sees it (together they may overlap).
            if index < previews.count, let preview = previews[index], line.width + 6 < width {
                let text = preview.text.split(separator: "→", maxSplits: 1).last.map { String($0).trimmingWhitespace } ?? preview.text
                line.append(" → " + cut(text, width - line.width - 3), preview.severe ? .warning : .dim)
            }
            lines.append(line)
        }
        if requests.count > room { lines.append(StyledLine("  … and \(requests.count - room + 1) more", .dim)) }
        if !skipped.isEmpty {
            lines.append(StyledLine(cut("left out: " + skipped.joined(separator: "; "), width), .warning))
        }
        var keys = StyledLine()
        keys.append("[y]", .accent)
        keys.append(" kill all    ")
        keys.append("[n]", .accent)
        keys.append(" no")
        lines.append(StyledLine())
        lines.append(keys)
        return lines
    }

    private func pickerBody(_ picker: TemplatePicker, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        for (index, template) in picker.templates.enumerated() {
            var line = StyledLine()
            let chosen = index == picker.selected
            line.append(chosen ? glyphs.selection + " " : "  ", .accent)
            line.append(cut(template.name, 20), .header)
            let parameters = template.parameters.isEmpty ? "" : " (\(template.parameters.joined(separator: " ")))"
            let rest = (template.summary.isEmpty ? "" : "  " + template.summary) + parameters
            line.append(cut(rest, max(0, width - line.width)), .dim)
            if chosen {
                line.pad(to: width)
                line.markSelected()
            }
            lines.append(line)
        }
        return lines
    }

    private func argumentsBody(_ picker: TemplatePicker, text: String, width: Int) -> [StyledLine] {
        let template = picker.templates[picker.selected]
        var lines = wrap("\(template.name) takes: \(template.parameters.joined(separator: " "))", width: width).map { StyledLine($0, .dim) }
        var input = StyledLine()
        input.append("> ", .accent)
        input.append(cut(text, width - 3))
        input.append(ascii ? "_" : "▏", .accent)
        lines.append(input)
        return lines
    }

    /// Splits `text` into lines of at most `width` cells at spaces.
    func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in TextWidth.sanitize(text, ascii: ascii).split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if TextWidth.cells(candidate) <= width || current.isEmpty {
                current = TextWidth.truncate(candidate, to: width, ellipsis: glyphs.ellipsis)
            } else {
                lines.append(current)
                current = TextWidth.truncate(String(word), to: width, ellipsis: glyphs.ellipsis)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
