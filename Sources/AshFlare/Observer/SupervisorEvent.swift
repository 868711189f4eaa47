/// Something that happened in a supervision tree, numbered and timestamped.
///
/// Sequence numbers are tree-wide and increase by one per event, so a subscriber can tell it saw
/// every event after a snapshot: the first event after a ``TreeSnapshot`` has number
/// `snapshot.sequence + 1`.
public struct SupervisorEvent: Hashable, Sendable {
    /// What happened.
    public enum Kind: Hashable, Sendable {
        /// A child finished `initialize()` (a worker) or started all its children (a supervisor).
        case childStarted(path: ChildPath, incarnation: UInt64)
        /// A child's incarnation ended.
        case childExited(path: ChildPath, incarnation: UInt64, reason: ChildExitReason)
        /// The child will be started again after `delay` (zero for an immediate restart).
        /// One per restarted child: a one-for-all round of five children gives five.
        case restartScheduled(path: ChildPath, delay: Duration)
        /// A supervisor's restart window changed: `restarts` of `maxRestarts` within its period.
        case intensityChanged(supervisor: ChildPath, restarts: Int, maxRestarts: Int)
        /// A supervisor exceeded its restart intensity; it stops its children and fails.
        case escalated(supervisor: ChildPath)
        /// A child spec came into being: added at runtime (`startChild`), or one of a
        /// supervisor's spec children when an incarnation of that supervisor starts (the tree's
        /// start included). ``SupervisorEvent/node`` carries the node as a snapshot shows it then.
        case childAdded(path: ChildPath)
        /// A child spec was removed (deleted, or a temporary child that exited).
        case childRemoved(path: ChildPath)
        /// A child's pending restart was cancelled: by `terminate` or a shutdown while it waited
        /// out its backoff, or because an earlier child of its restart round failed to start (the
        /// failed child's exit plans the next round). It is stopped now. Its last exit stays the
        /// one that scheduled the restart.
        case restartCancelled(path: ChildPath)
        /// A child ignored cancellation past its shutdown timeout; its task was left behind.
        case abandoned(path: ChildPath, incarnation: UInt64)
        /// A supervisor began stopping all its children.
        case shutdownBegan(supervisor: ChildPath)
        /// A supervisor stopped all its children.
        case shutdownFinished(supervisor: ChildPath)
        /// This subscriber fell behind and missed `missed` events; take a fresh snapshot.
        case lagged(missed: UInt64)
    }

    /// The tree-wide sequence number.
    public var sequence: UInt64
    /// When it happened, as time since the tree started.
    public var time: Duration
    /// What happened.
    public var kind: Kind
    /// The tree-unique id of the execution the event is about (``NodeSnapshot/execution``):
    /// set on `childStarted`, `childExited` and `abandoned`, nil on the others.
    public var execution: UInt64?
    /// On `childAdded`: the new node as a snapshot shows it (stopped, incarnation 0, its spec's
    /// fields), so events alone can rebuild the tree (``TreeSnapshot/apply(_:)``); nil on the others.
    public var node: NodeSnapshot? {
        get { addedNode?.node }
        set { addedNode = newValue.map(AddedNode.init) }
    }
    /// Boxed: most events have none, and a node is large.
    private var addedNode: AddedNode?

    /// Creates an event.
    public init(sequence: UInt64, time: Duration, kind: Kind, execution: UInt64? = nil, node: NodeSnapshot? = nil) {
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.execution = execution
        self.addedNode = node.map(AddedNode.init)
    }
}

/// The node a `childAdded` event carries, boxed so events stay small.
private final class AddedNode: Hashable, Sendable {
    let node: NodeSnapshot
    init(_ node: NodeSnapshot) { self.node = node }
    static func == (lhs: AddedNode, rhs: AddedNode) -> Bool { lhs.node == rhs.node }
    func hash(into hasher: inout Hasher) { hasher.combine(node) }
}

extension SupervisorEvent.Kind {
    /// The node the event is about, if any.
    public var path: ChildPath? {
        switch self {
        case .childStarted(let path, _), .childExited(let path, _, _), .restartScheduled(let path, _),
             .childAdded(let path), .childRemoved(let path), .abandoned(let path, _), .restartCancelled(let path):
            path
        case .intensityChanged(let path, _, _), .escalated(let path), .shutdownBegan(let path),
             .shutdownFinished(let path):
            path
        case .lagged:
            nil
        }
    }
}
