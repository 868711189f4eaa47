/// What a supervisor knows about one child (its spec and run-time state).
struct ChildRecord: Sendable {
    var spec: ChildSpec
    /// The child's path, built once (events, contexts and snapshots reuse it).
    let path: ChildPath
    var state: ChildState = .stopped
    /// The current or last incarnation; 0 before the first start.
    var incarnation: UInt64 = 0
    /// The tree-unique id of the current or last execution; 0 before the first start.
    var executionID: UInt64 = 0
    /// How many times the supervisor restarted this child.
    var restartCount = 0
    var lastExit: ChildExitReason?
    var lastExitAt: Duration?
    var startedAt: Duration?
    /// Consecutive restarts since the last healthy run; picks the backoff delay.
    var backoffAttempt: UInt32 = 0
    /// The restart round this child waits for while backing off.
    var restartToken: UInt64?
    /// The live incarnation's task or nested supervisor, while it has one.
    var execution: ChildExecution?
    /// The running nested supervisor, for a supervisor child.
    var nested: SupervisorRuntime?
    /// The child's log, kept across restarts; created at its first start (supervisors have none).
    var log: ChildLog?

    init(spec: ChildSpec, path: ChildPath) {
        self.spec = spec
        self.path = path
    }

    var id: ChildID { spec.id }
}
