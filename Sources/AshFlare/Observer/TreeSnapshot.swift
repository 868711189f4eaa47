/// The whole tree at one instant, taken atomically.
public struct TreeSnapshot: Hashable, Sendable {
    /// The sequence number of the last event before the snapshot.
    public var sequence: UInt64
    /// When it was taken, as time since the tree started.
    public var time: Duration
    /// The root supervisor and, below it, every node.
    public var root: NodeSnapshot

    /// Creates a snapshot.
    public init(sequence: UInt64, time: Duration, root: NodeSnapshot) {
        self.sequence = sequence
        self.time = time
        self.root = root
    }

    /// The node at `path`, if there is one.
    public func node(at path: ChildPath) -> NodeSnapshot? {
        guard path.components.first == root.id else { return nil }
        var node = root
        for id in path.components.dropFirst() {
            guard let child = node.children.first(where: { $0.id == id }) else { return nil }
            node = child
        }
        return node
    }

    /// Every node, depth first, in start order.
    public var allNodes: [NodeSnapshot] {
        var result: [NodeSnapshot] = []
        func visit(_ node: NodeSnapshot) {
            result.append(node)
            node.children.forEach(visit)
        }
        visit(root)
        return result
    }
}

/// One node of a ``TreeSnapshot``.
public struct NodeSnapshot: Hashable, Sendable {
    /// The node's id within its supervisor.
    public var id: ChildID
    /// The node's full path.
    public var path: ChildPath
    /// Worker or supervisor.
    public var type: ChildType
    /// Its state.
    public var state: ChildState
    /// Its restart policy (the root reports `permanent`).
    public var restartPolicy: RestartPolicy
    /// How it is stopped.
    public var shutdown: ShutdownPolicy
    /// Its restart backoff.
    public var backoff: Backoff
    /// The current or last incarnation.
    public var incarnation: UInt64
    /// The tree-unique id of the current or last execution (0 before the first start; the root
    /// is 1). Unlike ``incarnation`` it never repeats, even when a restarted supervisor starts
    /// its children again at incarnation 1: a conditional operation
    /// (``SupervisorHandle/kill(_:ifExecution:)``) names it to act only on what the caller saw.
    public var execution: UInt64
    /// How often its supervisor restarted it.
    public var restartCount: Int
    /// Why its last incarnation ended, if one did.
    public var lastExit: ChildExitReason?
    /// When its last incarnation ended (time since the tree started).
    public var lastExitAt: Duration?
    /// When the current or last incarnation started running (finished `initialize()`; while it
    /// is starting: when the start began), as time since the tree started.
    public var startedAt: Duration?
    /// Supervisor details; `nil` for a worker.
    public var supervisor: SupervisorDetails?
    /// Its children in start order (empty for a worker or a stopped supervisor).
    public var children: [NodeSnapshot]
    /// For a running process child: its pid, CPU and memory (see ``ProcessDetails``).
    public var process: ProcessDetails?

    /// Creates a node snapshot.
    public init(
        id: ChildID, path: ChildPath, type: ChildType, state: ChildState, restartPolicy: RestartPolicy,
        shutdown: ShutdownPolicy, backoff: Backoff, incarnation: UInt64, restartCount: Int,
        lastExit: ChildExitReason?, lastExitAt: Duration?, startedAt: Duration?,
        supervisor: SupervisorDetails?, children: [NodeSnapshot], execution: UInt64 = 0, process: ProcessDetails? = nil
    ) {
        self.execution = execution
        self.id = id
        self.path = path
        self.type = type
        self.state = state
        self.restartPolicy = restartPolicy
        self.shutdown = shutdown
        self.backoff = backoff
        self.incarnation = incarnation
        self.restartCount = restartCount
        self.lastExit = lastExit
        self.lastExitAt = lastExitAt
        self.startedAt = startedAt
        self.supervisor = supervisor
        self.children = children
        self.process = process
    }
}

/// What a snapshot knows about a supervisor beyond its child record.
public struct SupervisorDetails: Hashable, Sendable {
    /// Its restart strategy.
    public var strategy: RestartStrategy
    /// Its restart intensity.
    public var intensity: RestartIntensity
    /// The restarts inside its intensity window, oldest first (time since the tree started).
    public var recentRestarts: [Duration]
    /// The templates children can be started from.
    public var templates: [TemplateInfo]
    /// The contents of the store this supervisor owns, if it owns one.
    public var context: [String: ContextValue]?

    /// Creates supervisor details.
    public init(
        strategy: RestartStrategy, intensity: RestartIntensity, recentRestarts: [Duration],
        templates: [TemplateInfo] = [], context: [String: ContextValue]? = nil
    ) {
        self.strategy = strategy
        self.intensity = intensity
        self.recentRestarts = recentRestarts
        self.templates = templates
        self.context = context
    }
}
