/// What a supervisor must do after a child exits, decided by ``SupervisorState/exitPlan(for:execution:reason:now:random:)``.
enum ExitPlan: Hashable, Sendable {
    /// A stale exit (older incarnation) or one the supervisor caused: nothing to do.
    case ignore
    /// Recorded, no restart: a transient child's normal exit (kept, stopped) or a temporary
    /// child's exit (dropped).
    case settled
    /// Restart children per the strategy.
    case restart(RestartPlan)
    /// The restart intensity was exceeded: stop every child and fail.
    case escalate
}

/// One restart round: stop `stop` (already in reverse start order), drop `drop`, then start
/// `start` in order at `deadline` (`delay` after the decision).
struct RestartPlan: Hashable, Sendable {
    var stop: [ChildID]
    var drop: [ChildID]
    var start: [ChildID]
    var delay: Duration
    var deadline: Duration
    var token: UInt64
}
