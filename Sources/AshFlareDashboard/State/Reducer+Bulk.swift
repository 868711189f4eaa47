import AshFlare

extension Reducer {
    /// `x` with marked rows: one kill request per marked running node, behind one confirmation
    /// that lists them all; `y` sends every request in the same instant.
    static func bulkKill(_ state: inout DashboardState) -> [DashboardCommand] {
        if state.options.readOnly {
            state.setStatus("read-only (--readonly): x (kill) is disabled", .error)
            return []
        }
        let (requests, skipped) = bulkKillRequests(&state)
        guard !requests.isEmpty else {
            state.setStatus("x (kill): none of the \(state.marked.count) marked rows is running (\(skipped.joined(separator: "; ")))", .error)
            return []
        }
        if state.options.confirmDestructive {
            state.overlay = .confirmBulk(requests, skipped: skipped)
            state.setStatus("Kill \(requests.count) marked nodes at once? y/n")
            return []
        }
        return performBulk(&state, requests)
    }

    /// The kill requests for the marked rows in tree order, and why the others are left out.
    private static func bulkKillRequests(_ state: inout DashboardState) -> ([ControlRequest], [String]) {
        var requests: [ControlRequest] = []
        var skipped: [String] = []
        for row in state.visibleRows(ignoringFolds: true) where state.marked.contains(row.id) {
            guard let path = row.id.path, let node = state.nodes[row.id.node].model.node(at: path) else { continue }
            let tree = state.nodes[row.id.node]
            if tree.connection != .connected {
                skipped.append("\(path): \(tree.name) is not connected")
            } else if path.parent == nil {
                skipped.append("\(path) is the root")
            } else if node.state != .running && node.state != .starting {
                skipped.append("\(path) is \(node.state)")
            } else {
                requests.append(ControlRequest(
                    id: state.nextRequestID, node: row.id.node, action: .kill, target: path, incarnation: node.incarnation,
                    execution: node.execution))
                state.nextRequestID += 1
            }
        }
        return (requests, skipped)
    }

    static func confirmBulk(_ state: inout DashboardState, _ requests: [ControlRequest], _ key: Key) -> [DashboardCommand] {
        switch key {
        case .character("y"), .character("Y"):
            state.overlay = nil
            return performBulk(&state, requests)
        case .character("n"), .character("N"), .escape, .character("q"):
            state.overlay = nil
            state.setStatus("cancelled: kill \(requests.count) marked nodes (the marks stay)")
        default:
            state.setStatus("Kill \(requests.count) marked nodes at once? press y to confirm, n to cancel")
        }
        return []
    }

    private static func performBulk(_ state: inout DashboardState, _ requests: [ControlRequest]) -> [DashboardCommand] {
        state.marked.removeAll()
        state.setStatus("killing \(requests.count) nodes at once…")
        return requests.map { .perform($0) }
    }
}
