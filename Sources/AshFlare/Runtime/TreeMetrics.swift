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
    /// By ``ChildExitReason/metricIndex`` (no String hashing per exit).
    private let exits: [Counter]
    let abandoned: Counter
    let activeWorkers: Gauge

    init(tree: String, factory: (any MetricsFactory)?) {
        let factory = factory ?? MetricsSystem.factory
        self.factory = factory
        self.tree = tree
        self.exits = ChildExitReason.metricNames.map { reason in
            Counter(label: "ashflare_child_exits_total", dimensions: [("tree", tree), ("reason", reason)], factory: factory)
        }
        abandoned = Counter(label: "ashflare_abandoned_workers_total", dimensions: [("tree", tree)], factory: factory)
        activeWorkers = Gauge(label: "ashflare_active_workers", dimensions: [("tree", tree)], factory: factory)
    }

    func recordExit(_ reason: ChildExitReason) {
        exits[reason.metricIndex].increment()
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
    /// The reasons' names without their payloads, for metrics dimensions, by ``metricIndex``.
    static let metricNames = [
        "normal", "shutdown", "killed", "error", "abandoned", "escalated", "stopped", "exit_status", "signal",
    ]

    /// The position of the reason's name in ``metricNames``.
    var metricIndex: Int {
        switch self {
        case .normal: 0
        case .shutdown: 1
        case .killed: 2
        case .error: 3
        case .abandoned: 4
        case .escalated: 5
        case .stopped: 6
        case .exitStatus: 7
        case .signal: 8
        }
    }
}
