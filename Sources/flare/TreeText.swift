import AshFlare
import AshFlareDashboard

/// The text form of a snapshot for `flare tree`: one aligned line per node.
///
/// ```
/// shop              supervisor  running  #1  exec 1    permanent  restarts 0  oneForOne, 0/3 in 5s
/// ├─ acceptor       worker      running  #1  exec 2    permanent  restarts 0
/// └─ db             supervisor  running  #1  exec 3    permanent  restarts 0  restForOne, 0/3 in 5s
///    └─ pool        worker      stopped  #2  exec 109  transient  restarts 1  last exit: killed
/// ```
enum TreeText {
    /// The lines of `snapshot`.
    static func lines(_ snapshot: TreeSnapshot, ascii: Bool = false) -> [String] {
        var rows: [[String]] = []
        func visit(_ node: NodeSnapshot, prefix: String, connector: String) {
            rows.append(columns(node, name: prefix + connector + node.id, now: snapshot.time))
            let childPrefix = prefix + (connector.isEmpty ? "" : (connector == glyphs(ascii).last ? "   " : glyphs(ascii).bar))
            for (index, child) in node.children.enumerated() {
                let isLast = index == node.children.count - 1
                visit(child, prefix: childPrefix, connector: isLast ? glyphs(ascii).last : glyphs(ascii).middle)
            }
        }
        visit(snapshot.root, prefix: "", connector: "")
        return align(rows)
    }

    private static func glyphs(_ ascii: Bool) -> (middle: String, last: String, bar: String) {
        ascii ? ("|- ", "`- ", "|  ") : ("├─ ", "└─ ", "│  ")
    }

    private static func columns(_ node: NodeSnapshot, name: String, now: Duration) -> [String] {
        var detail: [String] = []
        if let supervisor = node.supervisor {
            let window = "\(supervisor.recentRestarts.count)/\(supervisor.intensity.maxRestarts) in \(DurationText.short(supervisor.intensity.period))"
            detail.append("\(supervisor.strategy.rawValue), \(window)")
            if !supervisor.templates.isEmpty {
                detail.append("templates: " + supervisor.templates.map(\.name).joined(separator: ", "))
            }
        }
        if let process = node.process {
            var figures = "pid \(process.pid)"
            if let cpu = process.cpuPercent { figures += " cpu \(Format.percent(cpu))" }
            if let rss = process.residentBytes { figures += " rss \(Format.bytes(rss))" }
            detail.append(figures)
        }
        if let lastExit = node.lastExit { detail.append("last exit: \(lastExit)") }
        return [
            name, node.type.rawValue, state(node.state, now: now), "#\(node.incarnation)", "exec \(node.execution)", node.restartPolicy.rawValue,
            "restarts \(node.restartCount)", detail.joined(separator: "; "),
        ]
    }

    private static func state(_ state: ChildState, now: Duration) -> String {
        if case .backingOff(let until) = state { return "backing off \(DurationText.short(max(.zero, until - now)))" }
        return state.description
    }

    private static func align(_ rows: [[String]]) -> [String] {
        guard let count = rows.first?.count else { return [] }
        // Columns line up in terminal cells: a CJK character or an emoji takes two.
        let widths = (0..<count).map { column in rows.map { TextWidth.cells(Terminal.safe($0[column])) }.max() ?? 0 }
        return rows.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                if column == count - 1 {
                    line += cell
                } else {
                    line += cell + String(repeating: " ", count: widths[column] - TextWidth.cells(Terminal.safe(cell)) + 2)
                }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
