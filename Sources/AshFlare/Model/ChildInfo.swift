/// Whether a child is a worker or a nested supervisor.
public enum ChildType: String, Hashable, Sendable, Codable {
    /// A ``Worker`` running in its own task.
    case worker
    /// A nested supervisor with children of its own.
    case supervisor
}

/// Where a child is in its life cycle.
public enum ChildState: Hashable, Sendable, CustomStringConvertible {
    /// Its task runs `initialize()` (a worker) or its children are starting (a supervisor).
    /// Can go to `running`, or to `stopped`/`backingOff` if initialisation fails.
    case starting
    /// Initialised and running. Can go to `stopping`, `backingOff`, `stopped` or `abandoned`.
    case running
    /// Waiting for a restart at `until` (time since the tree started). Can go to `starting` or `stopped`.
    case backingOff(until: Duration)
    /// Its supervisor asked it to stop and waits for it. Can go to `stopped` or `abandoned`.
    case stopping
    /// Not running; the spec is kept (a transient child after a normal exit, or a terminated child).
    /// Can go to `starting` (restart) or be deleted.
    case stopped
    /// A supervisor that gave up (its restart intensity was exceeded). Can go to `starting` when
    /// its parent restarts it, or stay here when the parent gave up too.
    case failed
    /// It ignored cancellation past its shutdown timeout; its task was left behind.
    /// Can go to `starting` (restart) or be deleted.
    case abandoned

    /// Whether the child currently has a live incarnation (starting, running or stopping).
    public var isActive: Bool {
        switch self {
        case .starting, .running, .stopping: true
        case .backingOff, .stopped, .failed, .abandoned: false
        }
    }

    /// A short human form: `running`, `backing off`, …
    public var description: String {
        switch self {
        case .starting: "starting"
        case .running: "running"
        case .backingOff: "backing off"
        case .stopping: "stopping"
        case .stopped: "stopped"
        case .failed: "failed"
        case .abandoned: "abandoned"
        }
    }
}

/// One child as ``SupervisorHandle/whichChildren(of:)`` lists it (OTP's `which_children`).
public struct ChildInfo: Hashable, Sendable {
    /// The child's id within its supervisor.
    public var id: ChildID
    /// The child's full path.
    public var path: ChildPath
    /// Worker or supervisor.
    public var type: ChildType
    /// Its restart policy.
    public var restartPolicy: RestartPolicy
    /// Its current state.
    public var state: ChildState
    /// Its current or last incarnation (0 before the first start).
    public var incarnation: UInt64
    /// The tree-unique id of its current or last execution (``NodeSnapshot/execution``).
    public var execution: UInt64

    /// Creates a child description.
    public init(
        id: ChildID, path: ChildPath, type: ChildType, restartPolicy: RestartPolicy, state: ChildState, incarnation: UInt64,
        execution: UInt64 = 0
    ) {
        self.execution = execution
        self.id = id
        self.path = path
        self.type = type
        self.restartPolicy = restartPolicy
        self.state = state
        self.incarnation = incarnation
    }
}

/// Counts of a supervisor's direct children (OTP's `count_children`).
public struct ChildCounts: Hashable, Sendable {
    /// All child specs the supervisor holds.
    public var specs: Int
    /// Children with a live incarnation (starting, running or stopping).
    public var active: Int
    /// Children that are supervisors.
    public var supervisors: Int
    /// Children that are workers.
    public var workers: Int

    /// Creates a set of counts.
    public init(specs: Int, active: Int, supervisors: Int, workers: Int) {
        self.specs = specs
        self.active = active
        self.supervisors = supervisors
        self.workers = workers
    }
}
