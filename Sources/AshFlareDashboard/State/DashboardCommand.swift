import AshFlare

/// What the reducer asks the outside world to do.
public enum DashboardCommand: Hashable, Sendable {
    /// Leave the dashboard.
    case quit
    /// Run a control operation on a tree.
    case perform(ControlRequest)
    /// Take a fresh snapshot of node `node` (when its model lost track: a gap, an event it cannot apply).
    case refresh(node: Int)
    /// Redraw at this interval from now on.
    case setRefreshInterval(Duration)
    /// Run the application's handler of a ``CustomKey``.
    case custom(Character)
    /// Read the newest lines of the log of worker `path` of node `node` (for the detail pane);
    /// the answer comes back as ``FeedUpdate/childLog(node:path:lines:)``.
    case readLog(node: Int, path: ChildPath)
    /// Follow the log of worker `path` of node `node` for the logs pane (`l`), replacing any
    /// log followed before: the lines held, then each new one, as ``FeedUpdate/logLines(node:path:lines:missed:)``.
    case followLog(node: Int, path: ChildPath)
    /// Read the lines of the previous incarnation of worker `path` (`L` in the logs pane); the
    /// answer comes back as ``FeedUpdate/previousLog(node:path:tail:)``.
    case readPreviousLog(node: Int, path: ChildPath)
    /// Stop following a log (the logs pane closed).
    case stopLog
    /// Write `text` to the file `path` (`w` in the logs pane); the outcome comes back as ``FeedUpdate/status(_:succeeded:)``.
    case saveFile(path: String, text: String)
    /// Begin recording tree `node` into a new file in ``DashboardOptions/saveDirectory`` (`R`);
    /// the outcome comes back as ``FeedUpdate/recording(file:message:succeeded:)``.
    case startRecording(node: Int)
    /// End the recording (`R` again).
    case stopRecording
}

/// A control operation bound to the node the user saw: its path and incarnation, never a row.
public struct ControlRequest: Hashable, Sendable {
    /// Numbers requests of one dashboard, to match results.
    public var id: Int
    /// The index of the tree (connection) in the dashboard.
    public var node: Int
    /// What to do.
    public var action: ControlAction
    /// The node acted on (for `startChild`, the supervisor that gets the child).
    public var target: ChildPath
    /// The incarnation the user saw (for messages).
    public var incarnation: UInt64
    /// The tree-unique execution the user saw (``ModelNode/execution``) when the key was
    /// pressed: kill, terminate, restart and delete are sent conditional on it, in one request,
    /// so a node that restarted since is refused by the tree (`staleExecution`). `nil` sends the
    /// operation unconditionally.
    public var execution: UInt64?

    /// Creates a request.
    public init(id: Int, node: Int, action: ControlAction, target: ChildPath, incarnation: UInt64, execution: UInt64? = nil) {
        self.id = id
        self.node = node
        self.action = action
        self.target = target
        self.incarnation = incarnation
        self.execution = execution
    }

    /// A one-line description: `kill shop/payments (#4)`.
    public var summary: String {
        switch action {
        case .startChild(let template, let arguments):
            "add \(template)\(arguments.isEmpty ? "" : " " + arguments.joined(separator: " ")) under \(target)"
        default:
            "\(action.verb) \(target) (#\(incarnation))"
        }
    }
}

/// The operations the dashboard's keys perform (all through ``SupervisionControl``).
public enum ControlAction: Hashable, Sendable {
    /// `x`: crash the child with reason `killed`; its restart policy applies.
    case kill
    /// `r` on a stopped child: start it again.
    case restart
    /// `r` on a running child: terminate it, then start it again.
    case bounce
    /// `t`: stop the child and keep its spec.
    case terminate
    /// `d`: remove a stopped child's spec.
    case delete
    /// `s`: shut a subtree down (a nested supervisor is terminated; the root stops the whole tree).
    case shutdown
    /// `a`: start a child from a template of the target supervisor.
    case startChild(template: String, arguments: [String])

    /// The verb in prompts: `kill`, `restart`, …
    public var verb: String {
        switch self {
        case .kill: "kill"
        case .restart: "restart"
        case .bounce: "restart"
        case .terminate: "terminate"
        case .delete: "delete"
        case .shutdown: "shut down"
        case .startChild: "add"
        }
    }

    /// The past tense in results: `killed`, …
    public var pastTense: String {
        switch self {
        case .kill: "killed"
        case .restart, .bounce: "restarted"
        case .terminate: "terminated"
        case .delete: "deleted"
        case .shutdown: "shut down"
        case .startChild: "added"
        }
    }
}

/// How a control operation ended.
public struct ControlResult: Hashable, Sendable {
    /// The request.
    public var request: ControlRequest
    /// Whether it succeeded.
    public var succeeded: Bool
    /// What happened, for the status line and the log: `killed shop/payments (#4)` or the error.
    public var message: String

    /// Creates a result.
    public init(request: ControlRequest, succeeded: Bool, message: String) {
        self.request = request
        self.succeeded = succeeded
        self.message = message
    }
}
