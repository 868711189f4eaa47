/// What happens to one child, as its supervisor records it: the inputs of the child's life
/// cycle. ``ChildRecord/apply(_:)`` is the only place a record's state changes.
enum ChildLifecycleEvent {
    /// A new execution was started (its incarnation is the record's next one). `nested` is the
    /// runtime of a supervisor child.
    case launched(ChildExecution, nested: SupervisorRuntime?, at: Duration)
    /// Execution `executionID` finished initialising.
    case initialized(executionID: UInt64, at: Duration)
    /// Its supervisor began stopping `execution` (or a nested supervisor began ending itself).
    case stopping(ChildExecution)
    /// `execution` ended with `reason`.
    case ended(ChildExecution, ChildExitReason, at: Duration)
    /// A restart round will start the child: at `until` (its backoff), or at once if nil.
    case restartScheduled(until: Duration?, round: UInt64)
    /// A scheduled start will not happen (terminated, shut down, or an earlier child of the
    /// round failed to start).
    case restartCancelled
}

extension ChildState {
    /// The state a child is in once an execution ended with `reason`: `failed` for a supervisor
    /// that gave up, `abandoned` for a task left behind, `stopped` otherwise. The engine and
    /// ``TreeSnapshot/apply(_:)`` both use this rule.
    public init(after reason: ChildExitReason) {
        self = switch reason {
        case .escalated: .failed
        case .abandoned: .abandoned
        default: .stopped
        }
    }
}

extension ChildRecord {
    /// Whether a new execution may start: the record holds none (``apply(_:)``'s `launched` rule).
    var canLaunch: Bool { execution == nil }

    /// Applies one life-cycle event; returns false, changing nothing, if the record's state
    /// does not allow it or the event is about an execution that is no longer the current one.
    ///
    /// | event | allowed from | to |
    /// |---|---|---|
    /// | launched | no execution: stopped, failed, abandoned, backing off, starting (scheduled) | starting (incarnation + 1) |
    /// | initialized | starting, same execution | running |
    /// | stopping | starting, running, stopping; same execution | stopping |
    /// | ended | starting, running, stopping; same execution | ``ChildState/init(after:)`` |
    /// | restartScheduled | not starting, running or stopping | backing off (with a delay), else starting; counts a restart |
    /// | restartCancelled | backing off, starting (scheduled) | stopped |
    ///
    /// `ended` after a run of at least the backoff's `resetAfter` starts the backoff over.
    @inline(__always) @discardableResult
    mutating func apply(_ event: ChildLifecycleEvent) -> Bool {
        switch event {
        case .launched(let execution, let nested, let now):
            guard canLaunch else { return false }
            incarnation = execution.incarnation
            executionID = execution.id
            state = .starting
            startedAt = now
            restartToken = nil
            self.execution = execution
            self.nested = nested
        case .initialized(let id, let now):
            guard state == .starting, executionID == id, execution != nil else { return false }
            state = .running
            startedAt = now
        case .stopping(let current):
            guard state.isActive, execution === current else { return false }
            state = .stopping
        case .ended(let current, let reason, let now):
            guard state.isActive, execution === current else { return false }
            if let startedAt, now - startedAt >= spec.backoff.resetAfter { backoffAttempt = 0 }
            state = ChildState(after: reason)
            lastExit = reason
            lastExitAt = now
            execution = nil
            nested = nil
        case .restartScheduled(let until, let round):
            guard !state.isActive else { return false }
            restartCount += 1
            if let until {
                state = .backingOff(until: until)
                restartToken = round
            } else {
                state = .starting
            }
        case .restartCancelled:
            let scheduled = if case .backingOff = state { true } else { state == .starting && execution == nil }
            guard scheduled else { return false }
            state = .stopped
            restartToken = nil
        }
        return true
    }
}
