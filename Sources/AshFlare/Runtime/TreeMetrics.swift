import CoreMetrics

/// The tree's counters and gauges (swift-metrics), created once so hot paths only increment.
///
/// Dimensions stay small: the tree's root id, a supervisor's path, or one of six exit reasons —
/// never a worker's path, so cardinality does not grow with the number of workers.
///
/// | metric | kind | dimensions |
/// |---|---|---|
/// | `ashflare_child_exits_total` | counter | `tree`, `reason` (normal, shutdown, killed, error, abandoned, escalated) |
/// | `ashflare_restarts_total` | counter | `tree`, `supervisor` |
/// | `ashflare_escalations_total` | counter | `tree`, `supervisor` |
/// | `ashflare_abandoned_workers_total` | counter | `tree` |
/// | `ashflare_active_workers` | gauge | `tree` |
struct TreeMetrics: Sendable {
    let factory: any MetricsFactory
    let tree: String
    private let exits: [String: Counter]
    let abandoned: Counter
    let activeWorkers: Gauge

    init(tree: String, factory: (any MetricsFactory)?) {
        let factory = factory ?? MetricsSystem.factory
        self.factory = factory
        self.tree = tree
        var exits: [String: Counter] = [:]
        for reason in ["normal", "shutdown", "killed", "error", "abandoned", "escalated"] {
            exits[reason] = Counter(
                label: "ashflare_child_exits_total", dimensions: [("tree", tree), ("reason", reason)], factory: factory)
        }
        self.exits = exits
        abandoned = Counter(label: "ashflare_abandoned_workers_total", dimensions: [("tree", tree)], factory: factory)
        activeWorkers = Gauge(label: "ashflare_active_workers", dimensions: [("tree", tree)], factory: factory)
    }

    func recordExit(_ reason: ChildExitReason) {
        exits[reason.metricName]?.increment()
    }

    /// The per-supervisor counters, created when a supervisor incarnation starts.
    func supervisorMetrics(_ path: ChildPath) -> SupervisorMetrics {
        let dimensions = [("tree", tree), ("supervisor", path.description)]
        return SupervisorMetrics(
            restarts: Counter(label: "ashflare_restarts_total", dimensions: dimensions, factory: factory),
            escalations: Counter(label: "ashflare_escalations_total", dimensions: dimensions, factory: factory))
    }
}

/// One supervisor's counters.
struct SupervisorMetrics: Sendable {
    let restarts: Counter
    let escalations: Counter
}

extension ChildExitReason {
    /// The reason's name without its payload, for metrics dimensions.
    var metricName: String {
        switch self {
        case .normal: "normal"
        case .shutdown: "shutdown"
        case .killed: "killed"
        case .error: "error"
        case .abandoned: "abandoned"
        case .escalated: "escalated"
        }
    }
}
