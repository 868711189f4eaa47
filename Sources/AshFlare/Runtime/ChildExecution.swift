import Synchronization

/// How a child's `initialize()` ended.
enum InitOutcome: Hashable, Sendable {
    case succeeded
    case failed(ChildExitReason)
}

/// One incarnation of a child: the signals its supervisor waits on, and its task.
final class ChildExecution: Sendable {
    private enum Liveness: UInt8, AtomicRepresentable {
        case running, abandoned, finished
    }

    let incarnation: UInt64
    /// Resolved when `initialize()` finishes (or a nested supervisor has started its children).
    let initialized = OneShot<InitOutcome>()
    /// Resolved when the incarnation has ended, with the reason it gives itself.
    let exited = OneShot<ChildExitReason>()
    private let task = Locked<Task<Void, Never>?>(nil)
    private let liveness = Atomic<Liveness>(.running)

    init(incarnation: UInt64) { self.incarnation = incarnation }

    func attach(_ task: Task<Void, Never>) { self.task.withLock { $0 = task } }

    /// Cancels the worker's task (no effect for a nested supervisor, which is stopped by message).
    func cancel() { task.withLock { $0 }?.cancel() }

    /// Marks the incarnation as left behind; `false` if it finished in the meantime.
    func markAbandoned() -> Bool {
        liveness.compareExchange(expected: .running, desired: .abandoned, ordering: .acquiringAndReleasing).exchanged
    }

    /// Marks the incarnation as finished; returns whether it had been abandoned.
    func markFinished() -> Bool {
        liveness.exchange(.finished, ordering: .acquiringAndReleasing) == .abandoned
    }
}
