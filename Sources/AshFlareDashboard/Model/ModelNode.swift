import AshFlare

/// One node of a ``TreeModel``: what the last snapshot said, kept current by events.
public struct ModelNode: Sendable {
    /// The node's full path.
    public var path: ChildPath
    /// Worker or supervisor.
    public var type: ChildType
    /// Its state.
    public var state: ChildState
    /// Its restart policy.
    public var restartPolicy: RestartPolicy
    /// How it is stopped.
    public var shutdown: ShutdownPolicy
    /// Its restart backoff.
    public var backoff: Backoff
    /// The current or last incarnation.
    public var incarnation: UInt64
    /// The tree-unique id of the current or last execution (``NodeSnapshot/execution``): what a
    /// conditional operation names so it hits only the execution the user saw.
    public var execution: UInt64
    /// How often its supervisor restarted it.
    public var restartCount: Int
    /// Why its last incarnation ended.
    public var lastExit: ChildExitReason?
    /// When its last incarnation ended (tree time).
    public var lastExitAt: Duration?
    /// When its current or last incarnation started (tree time). Events carry the time the
    /// child finished starting, which a snapshot then corrects to when it began.
    public var startedAt: Duration?
    /// Supervisor details; `nil` for a worker.
    public var supervisor: SupervisorDetails?
    /// Its children, as indices into ``TreeModel/nodes``, in start order.
    public var children: [Int]
    /// Its supervisor's index, or `nil` for the root.
    public var parent: Int?
    /// The root's depth is 0.
    public var depth: Int
    /// The node's id in lower case, for the filter.
    public var lowercasedID: String
    /// The latest exits seen while watching (newest last, at most ``TreeModel/recentExitLimit``).
    public var recentExits: [ExitRecord]
    /// A restart announced for this node that has not happened yet (the time it is due).
    var pendingRestart: Duration?
    /// False once the node was removed (its slot is reused by the next snapshot).
    public var isLive: Bool

    /// The node's id.
    public var id: ChildID { path.id }

    /// Whether it is a supervisor.
    public var isSupervisor: Bool { type == .supervisor }

    init(_ snapshot: NodeSnapshot, parent: Int?, depth: Int) {
        path = snapshot.path
        type = snapshot.type
        state = snapshot.state
        restartPolicy = snapshot.restartPolicy
        shutdown = snapshot.shutdown
        backoff = snapshot.backoff
        incarnation = snapshot.incarnation
        execution = snapshot.execution
        restartCount = snapshot.restartCount
        lastExit = snapshot.lastExit
        lastExitAt = snapshot.lastExitAt
        startedAt = snapshot.startedAt
        supervisor = snapshot.supervisor
        children = []
        self.parent = parent
        self.depth = depth
        lowercasedID = snapshot.id.lowercased()
        recentExits = []
        if let reason = snapshot.lastExit, let at = snapshot.lastExitAt {
            recentExits = [ExitRecord(
                incarnation: snapshot.state.isActive ? snapshot.incarnation - 1 : snapshot.incarnation, reason: reason, at: at)]
        }
        isLive = true
    }
}

/// One exit of a node, for the detail pane.
public struct ExitRecord: Hashable, Sendable {
    /// The incarnation that ended.
    public var incarnation: UInt64
    /// Why.
    public var reason: ChildExitReason
    /// When (tree time).
    public var at: Duration

    /// Creates an exit record.
    public init(incarnation: UInt64, reason: ChildExitReason, at: Duration) {
        self.incarnation = incarnation
        self.reason = reason
        self.at = at
    }
}
