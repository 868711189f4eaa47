/// An operator's operation on one child, and when a child's state allows it (OTP's
/// `terminate_child`, `restart_child`, `delete_child` rules, plus AshFlare's fault-injecting kill).
///
/// The engine refuses an operation with exactly this rule, and clients (the dashboard's key
/// hints and confirms) ask the same function instead of copying it.
public enum ChildOperation: String, Hashable, Sendable, CaseIterable {
    /// Stop the child as if it had crashed (reason `killed`); its policy and strategy decide.
    case kill
    /// Stop the child and keep its spec (a temporary child's spec goes); never a failure.
    case terminate
    /// Start a stopped child again.
    case restart
    /// Remove a stopped child's spec.
    case delete
}

extension ChildState {
    /// Why a child in this state refuses `operation`, or nil if it allows it.
    ///
    /// | operation | starting, running | stopping | backing off | stopped, failed, abandoned |
    /// |---|---|---|---|---|
    /// | kill | allowed | `childNotRunning` | `childNotRunning` | `childNotRunning` |
    /// | terminate | allowed | allowed | allowed (cancels the restart) | allowed (no-op) |
    /// | restart, delete | `childRunning` | `childRunning` | `childRestarting` | allowed |
    ///
    /// The root supervisor refuses all four (`rootSupervisor`): no supervisor holds it.
    public func refusal(of operation: ChildOperation) -> SupervisorError.Code? {
        switch (operation, self) {
        case (.kill, .starting), (.kill, .running): nil
        case (.kill, _): .childNotRunning
        case (.terminate, _): nil
        case (.restart, .starting), (.restart, .running), (.restart, .stopping),
             (.delete, .starting), (.delete, .running), (.delete, .stopping): .childRunning
        case (.restart, .backingOff), (.delete, .backingOff): .childRestarting
        case (.restart, _), (.delete, _): nil
        }
    }

    /// Whether a child in this state allows `operation` (``refusal(of:)`` is nil).
    public func allows(_ operation: ChildOperation) -> Bool { refusal(of: operation) == nil }
}
