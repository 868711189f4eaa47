import AshFlare

extension RenderContext {
    /// The logs pane over the whole body: a title, then the lines that fit (newest last).
    func logsPane(_ pane: LogsPane, rect: Rect) -> [StyledLine] {
        var title = StyledLine()
        let source = pane.source == .live
            ? "live" + (pane.follow ? ", following" : ", scrolled back \(pane.scroll)")
            : "previous incarnation" + (pane.previousIncarnation.map { " #\($0)" } ?? "")
        var facts = [pane.lines.count == 1 ? "1 line" : "\(pane.lines.count) lines"]
        if pane.missed > 0 { facts.append("\(pane.missed) missed") }
        if pane.wrap { facts.append("wrap") }
        if !pane.search.isEmpty {
            let count = pane.matchIndices.count
            facts.append("/\(pane.search): \(count) \(count == 1 ? "match" : "matches")")
        }
        let name = nodes.count > 1 ? "\(nodes[pane.node].name): " : ""
        title.append(glyphs.horizontal + " Logs \(name)\(pane.path) (\(source)) · " + facts.joined(separator: " · ") + " ", .accent)
        if title.width < rect.width { title.append(String(repeating: glyphs.horizontal, count: rect.width - title.width), .dim) }
        var lines = [title.prefix(cells: rect.width)]
        let page = max(0, rect.height - 1)
        if let error = pane.error {
            lines.append(StyledLine(" " + cut(error, rect.width - 1), .failed))
        } else if !pane.loaded {
            lines.append(StyledLine(" reading…", .dim))
        } else if pane.lines.isEmpty {
            lines.append(StyledLine(pane.source == .previous
                ? " no lines from a previous incarnation (it has not restarted, or wrote nothing)"
                : " no lines yet", .dim))
        } else {
            lines += logsRows(pane, width: rect.width, page: page)
        }
        return padded(lines, rect)
    }

    /// The rows for the lines that end `pane.scroll` lines before the newest, newest last.
    private func logsRows(_ pane: LogsPane, width: Int, page: Int) -> [StyledLine] {
        var rows: [StyledLine] = []
        var index = pane.lines.count - 1 - pane.scroll
        while index >= 0 && rows.count < page {
            let line = pane.lines[index]
            let rendered = logsRow(line, matched: pane.matches(line), wrap: pane.wrap, width: width)
            rows.insert(contentsOf: rendered.suffix(page - rows.count), at: 0)
            index -= 1
        }
        return rows
    }

    /// One log line: `time #incarnation text`, stderr in the failure colour and marked `!`, a
    /// search match marked `▶`; wrapped into several rows, or cut.
    private func logsRow(_ line: LogLine, matched: Bool, wrap: Bool, width: Int) -> [StyledLine] {
        var first = StyledLine()
        first.append(matched ? (ascii ? ">" : "▶") : " ", .accent)
        first.append(Format.stamp(line.time).leftPadded(to: 9) + " #\(line.incarnation) ", .dim)
        first.append(line.stream == .stderr ? "!" : " ", .failed)
        let role: Role = matched ? .accent : (line.stream == .stderr ? .failed : .normal)
        let indent = first.width
        let text = TextWidth.sanitize(line.displayText, ascii: ascii)
        let room = max(1, width - indent)
        guard wrap, TextWidth.cells(text) > room else {
            first.append(cut(text, room), role)
            return [first]
        }
        var rows: [StyledLine] = []
        var current = ""
        var cells = 0
        for character in text {
            let size = TextWidth.cells(character)
            if cells + size > room {
                var row = rows.isEmpty ? first : StyledLine(String(repeating: " ", count: indent))
                row.append(current, role)
                rows.append(row)
                current = ""
                cells = 0
            }
            current.append(character)
            cells += size
        }
        var row = rows.isEmpty ? first : StyledLine(String(repeating: " ", count: indent))
        row.append(current, role)
        rows.append(row)
        return rows
    }
}
