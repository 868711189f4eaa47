/// Stops a child that cancellation alone cannot stop — an OS process.
///
/// A worker registers one with ``ChildContext/enforceStops(with:)`` once it has something to
/// stop. From then on its supervisor does not cancel the worker's task to stop it; it calls the
/// enforcer and waits for the worker to end, timing the ``ShutdownPolicy`` on the tree's clock:
/// - `.timeout(d)`: ``requestStop()``, wait up to d, then ``forceStop()`` and wait;
/// - `.brutal`: ``forceStop()`` and wait;
/// - `.infinity`: ``requestStop()`` and wait.
///
/// Kill (fault injection) is ``forceStop()``. Such a child is never abandoned: the exit reason is
/// ``ChildExitReason/stopped(_:)`` with the ``StopOutcome``. Both methods are called from the
/// supervisor's task, must not block, and may be called after the child has ended.
public protocol StopEnforcer: Sendable {
    /// Asks the child to stop (SIGTERM for a process).
    func requestStop()
    /// Makes the child stop now (SIGKILL for a process).
    func forceStop()
    /// The child's process figures for a snapshot; called outside the tree lock, only when a
    /// snapshot is taken. The default is nil.
    func processDetails() -> ProcessDetails?
}

extension StopEnforcer {
    /// No process figures.
    public func processDetails() -> ProcessDetails? { nil }
}

extension ChildContext {
    /// Makes the supervisor stop this incarnation through `enforcer` instead of by cancelling
    /// its task (see ``StopEnforcer``).
    ///
    /// - Returns: `false` if the supervisor has already begun to stop the incarnation (by
    ///   cancelling its task); the caller must then stop what it started itself, at once.
    public func enforceStops(with enforcer: some StopEnforcer) -> Bool {
        execution?.register(enforcer) ?? true
    }
}
