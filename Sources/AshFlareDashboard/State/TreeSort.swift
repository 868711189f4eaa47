import AshFlare

/// How siblings are ordered in the tree pane (`o` cycles); the tree's shape never changes.
///
/// Spec order is the default: it is the start order, which carries meaning (rest-for-one,
/// shutdown in reverse). Every other order is stable, so ties keep spec order.
public enum TreeSort: String, Hashable, Sendable, CaseIterable {
    /// Start order, as in the spec.
    case spec
    /// Most restarts in the last minute first.
    case restarts
    /// Shortest uptime first (the most recently (re)started on top); stopped nodes last.
    case uptime
    /// Worst state first: failed, abandoned, backing off, stopped, starting/stopping, running.
    case state
    /// Supervisors with the fewest restarts left before they escalate first.
    case escalation

    /// The next order `o` moves to.
    public var next: TreeSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// For the status line and the pane title: `restarts (last minute)`.
    public var label: String {
        switch self {
        case .spec: "spec order"
        case .restarts: "restarts (last minute)"
        case .uptime: "uptime (shortest first)"
        case .state: "state (worst first)"
        case .escalation: "nearest to escalation"
        }
    }

    /// `children` (slots of `model`) in this order at tree time `now`.
    func order(_ children: [Int], in model: TreeModel, now: Duration, recent: RecentRestarts) -> [Int] {
        guard self != .spec, children.count > 1 else { return children }
        let keyed = children.enumerated().map { (position, slot) in (key: key(slot, model, now, recent), position: position, slot: slot) }
        return keyed.sorted { $0.key != $1.key ? $0.key < $1.key : $0.position < $1.position }.map(\.slot)
    }

    /// Smaller sorts first.
    private func key(_ slot: Int, _ model: TreeModel, _ now: Duration, _ recent: RecentRestarts) -> Int64 {
        let node = model.nodes[slot]
        switch self {
        case .spec: return 0
        case .restarts: return -Int64(recent[node.path])
        case .uptime:
            guard node.state.isActive, let started = node.startedAt else { return .max }
            return Format.milliseconds(now - started)
        case .state: return Int64(Self.severity(node.state))
        case .escalation:
            guard let details = node.supervisor else { return .max }
            return Int64(details.intensity.maxRestarts - model.windowCount(slot, at: now))
        }
    }

    /// 0 is the worst state.
    static func severity(_ state: ChildState) -> Int {
        switch state {
        case .failed: 0
        case .abandoned: 1
        case .backingOff: 2
        case .stopped: 3
        case .starting, .stopping: 4
        case .running: 5
        }
    }
}
