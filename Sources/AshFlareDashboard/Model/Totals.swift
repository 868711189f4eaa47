/// Live node counts by type and state, for the header; a ``TreeModel`` keeps its own current as
/// nodes change state or go, so a frame never counts the whole tree.
struct Totals: Hashable, Sendable {
    var supervisors = 0, workers = 0, running = 0, backingOff = 0, stopped = 0, failed = 0, abandoned = 0

    /// Counts `node` in (`sign` 1) or out (`sign` -1).
    mutating func count(_ node: ModelNode, _ sign: Int) {
        if node.type == .supervisor { supervisors += sign } else { workers += sign }
        switch node.state {
        case .running, .starting, .stopping: running += sign
        case .backingOff: backingOff += sign
        case .stopped: stopped += sign
        case .failed: failed += sign
        case .abandoned: abandoned += sign
        }
    }

    /// Adds another tree's counts.
    mutating func add(_ other: Totals) {
        supervisors += other.supervisors
        workers += other.workers
        running += other.running
        backingOff += other.backingOff
        stopped += other.stopped
        failed += other.failed
        abandoned += other.abandoned
    }

    /// The counts of every live node of `nodes`, from scratch.
    init(counting nodes: [ModelNode]) {
        for node in nodes where node.isLive { count(node, 1) }
    }

    init() {}
}
