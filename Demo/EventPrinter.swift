import AshFlare

/// Prints events one per line as the tree heals.
enum EventPrinter {
    static func print(_ events: SupervisorEvents) async {
        for await event in events {
            Swift.print(line(for: event))
        }
    }

    static func line(for event: SupervisorEvent) -> String {
        let seconds = Double(event.time.components.seconds) + Double(event.time.components.attoseconds) / 1e18
        let time = "[" + String(format3(seconds)) + "s]"
        let text: String = switch event.kind {
        case .childStarted(let path, let incarnation): "▲ \(path) started (incarnation \(incarnation))"
        case .childExited(let path, let incarnation, let reason): "▼ \(path) exited: \(reason) (incarnation \(incarnation))"
        case .restartScheduled(let path, let delay): "↻ \(path) restarts in \(milliseconds(delay)) ms"
        case .intensityChanged(let path, let restarts, let max): "  \(path) intensity \(restarts)/\(max)"
        case .escalated(let path): "‼ \(path) exceeded its restart intensity and escalates"
        case .childAdded(let path): "+ \(path) added"
        case .childRemoved(let path): "- \(path) removed"
        case .abandoned(let path, let incarnation): "✗ \(path) ignored cancellation and was abandoned (incarnation \(incarnation))"
        case .shutdownBegan(let path): "■ \(path) shutting down"
        case .shutdownFinished(let path): "■ \(path) stopped its children"
        case .lagged(let missed): "… missed \(missed) events"
        }
        return "\(time) \(text)"
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    private static func format3(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

/// Renders a snapshot as an indented tree.
enum TreePrinter {
    static func render(_ snapshot: TreeSnapshot) -> String {
        var lines: [String] = []
        func visit(_ node: NodeSnapshot, depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            let kind = node.supervisor.map { "supervisor, \($0.strategy)" } ?? "worker, \(node.restartPolicy)"
            lines.append("\(indent)\(node.id) [\(kind)] \(node.state)")
            node.children.forEach { visit($0, depth: depth + 1) }
        }
        visit(snapshot.root, depth: 0)
        return lines.joined(separator: "\n")
    }
}
