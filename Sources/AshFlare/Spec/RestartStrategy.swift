/// Which children a supervisor restarts when one of them fails.
public enum RestartStrategy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Restart only the failed child (the default).
    case oneForOne
    /// Stop every other child in reverse start order, then restart all of them in order.
    case oneForAll
    /// Stop the children started after the failed one in reverse order, then restart the failed
    /// child and those after it in order. Earlier children are untouched.
    case restForOne
}

/// When a child is restarted after it exits (OTP's restart types).
public enum RestartPolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Always restarted (the default).
    case permanent
    /// Restarted only after an abnormal exit; after a normal one its spec stays, stopped.
    case transient
    /// Never restarted; its spec is dropped when it exits.
    case temporary

    /// Whether a child with this policy is restarted after it exited for `reason` (OTP's
    /// `restart/2` clauses).
    ///
    /// A nested supervisor that gives up exits in OTP with reason `shutdown`, which is normal:
    /// a transient supervisor that escalated therefore stays stopped, while a permanent one is
    /// restarted (and counted against its parent). AshFlare names that reason ``ChildExitReason/escalated``.
    public func restarts(after reason: ChildExitReason) -> Bool {
        switch self {
        case .permanent: true
        case .transient: reason.isAbnormal && reason != .escalated
        case .temporary: false
        }
    }
}

/// How a supervisor stops a child.
///
/// Swift cannot kill a task. Every policy cancels the child's task; they differ in how long the
/// supervisor waits for it to finish. A child whose stop is enforced (a process child, see
/// ``StopEnforcer``) is asked to stop (SIGTERM) instead, and force-stopped (SIGKILL) where a task
/// would be abandoned: at once for `.brutal`, after the timeout for `.timeout`.
public enum ShutdownPolicy: Hashable, Sendable, CustomStringConvertible {
    /// Cancel and wait up to the duration; a child still running then is *abandoned*
    /// (reported with an event and counted), never silently leaked.
    case timeout(Duration)
    /// Cancel and do not wait. A task worker whose task has not ended yet is reported as
    /// ``StopOutcome/cancelledNotAwaited`` (never as a normal shutdown) and counted in
    /// ``SupervisorHandle/abandonedWorkerTasks`` until its task ends.
    case brutal
    /// Cancel and wait for as long as it takes (the default for nested supervisors).
    case infinity

    /// The default for workers: 5 seconds, as in OTP.
    public static let workerDefault = ShutdownPolicy.timeout(.seconds(5))

    public var description: String {
        switch self {
        case .timeout(let duration): "timeout(\(duration))"
        case .brutal: "brutal"
        case .infinity: "infinity"
        }
    }
}
