/// The control and observe protocol every front-end uses to drive a tree.
///
/// The in-process ``SupervisorHandle`` implements it, and so does the remote client, so the
/// dashboard and the CLI never know whether a tree is local or remote.
public protocol SupervisionControl: Sendable {
    /// The whole tree at one instant.
    func snapshot() async throws -> TreeSnapshot
    /// A snapshot and exactly the events after it, with no gap and no duplicate.
    func observe() async throws -> TreeObservation
    /// The direct children of the supervisor at `path`, in start order.
    func whichChildren(of path: ChildPath) async throws -> [ChildInfo]
    /// Counts of the direct children of the supervisor at `path`.
    func countChildren(of path: ChildPath) async throws -> ChildCounts
    /// Starts a child from a template of the supervisor at `supervisor`; returns its path.
    func startChild(template: String, arguments: [String], under supervisor: ChildPath) async throws -> ChildPath
    /// Fault injection: the child dies with reason `killed` and its restart policy applies.
    func kill(_ path: ChildPath) async throws
    /// Stops the child and keeps its spec (a temporary child's spec is dropped).
    func terminate(_ path: ChildPath) async throws
    /// Starts a stopped child again.
    func restart(_ path: ChildPath) async throws
    /// Removes a stopped child's spec.
    func delete(_ path: ChildPath) async throws
    /// Like ``kill(_:)``, only if the node is still execution `execution` (``NodeSnapshot/execution``,
    /// ``ChildInfo/execution``): checked and done in one step, so a restart in between (of the
    /// child or of a supervisor above it) fails with `staleExecution` instead of hitting the new one.
    func kill(_ path: ChildPath, ifExecution execution: UInt64) async throws
    /// Like ``terminate(_:)``, only if the node is still execution `execution`; else `staleExecution`.
    func terminate(_ path: ChildPath, ifExecution execution: UInt64) async throws
    /// Like ``restart(_:)``, only if the stopped node's last execution is `execution`; else `staleExecution`.
    func restart(_ path: ChildPath, ifExecution execution: UInt64) async throws
    /// Like ``delete(_:)``, only if the stopped node's last execution is `execution`; else `staleExecution`.
    func delete(_ path: ChildPath, ifExecution execution: UInt64) async throws
    /// Stops the whole tree; returns when it has stopped.
    func shutdown() async throws
    /// The newest `limit` lines (all when nil) of the log of the child at `path`.
    /// - Throws: `childNotFound` for an unknown path, `notAWorker` for a supervisor.
    func logTail(of path: ChildPath, scope: LogScope, limit: Int?) async throws -> LogTail
    /// Follows the log of the child at `path`: up to `backlog` lines already held, then every
    /// new line, gap-free, with ``ChildLogEntry/lagged(missed:)`` where the reader fell behind.
    func followLog(of path: ChildPath, backlog: Int) async throws -> ChildLogLines
    /// The sequence number of the last event the tree has emitted (0 before the first).
    ///
    /// Every event up to it has been handed to the subscribers by the time this returns, so a
    /// server can hold a reply until its subscriptions have forwarded that far.
    func lastEventSequence() async throws -> UInt64
}

extension SupervisionControl {
    /// The sequence of a fresh snapshot: correct for any tree, but as costly as a snapshot.
    public func lastEventSequence() async throws -> UInt64 {
        try await snapshot().sequence
    }
}

/// A snapshot and the events that follow it.
public struct TreeObservation: Sendable {
    /// The tree when the subscription began.
    public var snapshot: TreeSnapshot
    /// The events after ``snapshot``: the first has number `snapshot.sequence + 1`.
    public var events: SupervisorEvents

    /// Creates an observation.
    public init(snapshot: TreeSnapshot, events: SupervisorEvents) {
        self.snapshot = snapshot
        self.events = events
    }
}
