import AshFlare

/// One tree the dashboard watches (one node of a distributed system, or the in-process tree).
public struct NodeState: Sendable {
    /// Where the connection to a tree stands.
    public enum Connection: Hashable, Sendable {
        /// Connecting (or re-observing). Can go to `connected` or `disconnected`.
        case connecting
        /// Watching: the model follows the tree. Can go to `stopped` or `disconnected`.
        case connected
        /// The tree has shut down; the model shows its last state.
        case stopped
        /// The connection failed or was lost; it is retried. Can go to `connecting`.
        case disconnected(reason: String)
    }

    /// The name shown for the tree (a node name or an address).
    public var name: String
    /// Where the connection stands.
    public var connection: Connection = .connecting
    /// The tree as last known.
    public var model = TreeModel()
    /// The tree time the model had reached when ``syncedAtWall`` was noted.
    var syncedTreeTime: Duration = .zero
    /// The dashboard's wall time when the model's tree time last advanced.
    var syncedAtWall: Duration = .zero
    /// In a replay, the tree time the timeline has reached (it replaces the estimate from the wall clock).
    var replayTime: Duration?

    /// Creates the state of a tree not connected yet.
    public init(name: String) { self.name = name }

    /// The tree's current time, estimated from the last tree time seen and the wall time since.
    public func treeTime(atWall wall: Duration) -> Duration {
        if let replayTime { return replayTime }
        guard connection == .connected else { return model.time }
        return max(model.time, syncedTreeTime + (wall - syncedAtWall))
    }

    /// Notes the model's tree time against the wall clock after an update.
    mutating func sync(wall: Duration) {
        if model.time != syncedTreeTime {
            syncedTreeTime = model.time
            syncedAtWall = wall
        }
    }
}

/// An update from a tree's feed, applied by ``DashboardState/apply(_:)``.
public enum FeedUpdate: Sendable {
    /// Connecting to (or re-observing) node `node`.
    case connecting(node: Int)
    /// A snapshot of node `node` (at connect, after `lagged`, or on request).
    case snapshot(node: Int, TreeSnapshot)
    /// Events of node `node`, in order.
    case events(node: Int, [SupervisorEvent])
    /// Node `node`'s tree has shut down.
    case treeStopped(node: Int)
    /// Node `node` is unreachable; the feed retries.
    case disconnected(node: Int, reason: String)
    /// A control operation finished.
    case result(ControlResult)
    /// The application handled a ``CustomKey``.
    case custom(CustomKeyOutcome)
    /// The newest lines of the log of worker `path` of node `node` (answering ``DashboardCommand/readLog(node:path:)``).
    case childLog(node: Int, path: ChildPath, lines: [LogLine])
    /// Lines of the log the logs pane follows (answering ``DashboardCommand/followLog(node:path:)``);
    /// `missed` lines fell off the ring before they were read.
    case logLines(node: Int, path: ChildPath, lines: [LogLine], missed: UInt64)
    /// The previous incarnation's lines (answering ``DashboardCommand/readPreviousLog(node:path:)``).
    case previousLog(node: Int, path: ChildPath, tail: LogTail)
    /// The log of worker `path` cannot be read (it was removed, the tree is gone).
    case logFailed(node: Int, path: ChildPath, message: String)
    /// The outcome of an effect with no tree of its own (a file written, a recording begun or
    /// ended), for the status line and the event log.
    case status(String, succeeded: Bool)
    /// A recording began (`file` is where it goes) or ended or failed (`file` nil).
    case recording(file: String?, message: String, succeeded: Bool)
}

/// One line of the event log.
public struct LogEntry: Sendable {
    /// What the line says.
    public enum Kind: Sendable {
        /// A tree event.
        case event(SupervisorEvent.Kind)
        /// The result of a control operation.
        case action(ControlResult)
        /// A note from the dashboard (connection changes).
        case note(String)
    }

    /// The tree the line is about.
    public var node: Int
    /// Tree time.
    public var time: Duration
    /// What it says.
    public var kind: Kind

    /// The path the line is about, if any.
    public var path: ChildPath? {
        switch kind {
        case .event(let event): event.path
        case .action(let result): result.request.target
        case .note: nil
        }
    }
}
