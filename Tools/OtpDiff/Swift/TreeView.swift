import AshFlare

/// The normalised view of a tree that both runners print: the nodes alive and the child specs
/// that exist, by path, sorted (so `whichChildren` order, which differs from OTP on purpose,
/// never matters). Only what lies under running supervisors is seen, as in OTP, where a
/// stopped supervisor has no children.
struct TreeView: Equatable {
    /// Paths of running nodes, the root included while it runs.
    var alive: [String] = []
    /// Paths of every child spec held by a running supervisor.
    var specs: [String] = []
    /// Paths of running supervisors, parents first.
    var supervisors: [ChildPath] = []
    /// Whether every node seen is at rest (running, stopped, failed or abandoned).
    var isAtRest = true
    /// Running workers and their incarnations, by path.
    var workerIncarnations: [String: UInt64] = [:]

    /// Reads `snapshot`.
    init(_ snapshot: TreeSnapshot) {
        let root = snapshot.root
        guard root.state == .running else {
            isAtRest = !root.state.isActive
            return
        }
        visit(root)
        alive.sort()
        specs.sort()
    }

    private mutating func visit(_ supervisor: NodeSnapshot) {
        alive.append(supervisor.path.description)
        supervisors.append(supervisor.path)
        for child in supervisor.children {
            specs.append(child.path.description)
            switch child.state {
            case .running:
                if child.type == .supervisor {
                    visit(child)
                } else {
                    alive.append(child.path.description)
                    workerIncarnations[child.path.description] = child.incarnation
                }
            case .stopped, .failed, .abandoned:
                break
            case .starting, .stopping, .backingOff:
                isAtRest = false
            }
        }
    }
}
