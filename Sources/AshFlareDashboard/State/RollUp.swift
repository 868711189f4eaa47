import AshFlare

/// What a folded supervisor hides: how many nodes below it are down or backing off, and the
/// worst state among them, so nothing broken hides under a fold.
public struct RollUp: Hashable, Sendable {
    /// Nodes below that are stopped, failed or abandoned.
    public var down = 0
    /// Nodes below that wait for a restart.
    public var backingOff = 0
    /// The worst state below (see ``TreeSort/state``), nil when everything runs.
    public var worst: ChildState?

    /// Whether anything below needs a look.
    public var isEmpty: Bool { down == 0 && backingOff == 0 }

    /// Counts the subtree below `slot` of `model` (the node itself excluded).
    public init(below slot: Int, in model: TreeModel) {
        var stack = model.nodes[slot].children
        var worstSeverity = Int.max
        while let next = stack.popLast() {
            let node = model.nodes[next]
            switch node.state {
            case .stopped, .failed, .abandoned: down += 1
            case .backingOff: backingOff += 1
            default: break
            }
            let severity = TreeSort.severity(node.state)
            if severity < worstSeverity && severity < TreeSort.severity(.starting) {
                worstSeverity = severity
                worst = node.state
            }
            stack.append(contentsOf: node.children)
        }
    }

    /// `2 down · 1 backoff`.
    public func summary(separator: String) -> String {
        var parts: [String] = []
        if down > 0 { parts.append("\(down) down") }
        if backingOff > 0 { parts.append("\(backingOff) backoff") }
        return parts.joined(separator: " \(separator) ")
    }
}
