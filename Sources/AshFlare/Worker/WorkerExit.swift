/// Thrown by a worker to end its incarnation with a given exit reason, such as a process
/// child's ``ChildExitReason/exitStatus(_:)`` or ``ChildExitReason/signal(_:)``.
///
/// ```swift
/// throw WorkerExit(.exitStatus(3))   // exit reason: exit status 3
/// ```
public struct WorkerExit: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reason the incarnation ends with.
    public let reason: ChildExitReason

    /// Creates an exit with `reason`.
    public init(_ reason: ChildExitReason) { self.reason = reason }

    /// The reason's description.
    public var description: String { reason.description }
}
