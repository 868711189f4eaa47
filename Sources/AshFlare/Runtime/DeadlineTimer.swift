/// Ends a supervisor's timed waits (shutdown and initialisation timeouts) with one sleeping
/// task for a whole batch of waits, instead of a task group and a sleep per wait.
///
/// A supervisor waits for one child at a time, so the timer watches one target: the execution
/// and the deadline of the current wait. ``arm(_:deadline:)`` points it at a new target; the
/// sleeping task, when it wakes, expires the target's waiters if their deadline has passed and
/// otherwise sleeps again until the current target's deadline. ``disarm()`` ends a batch and
/// cancels the sleep. Timing out is rare; a wait that ends in time costs a lock and no task.
final class DeadlineTimer: Sendable {
    private struct State {
        /// The execution whose timed waits are watched, and their deadline.
        var target: ChildExecution?
        var deadline: Duration = .zero
        /// The sleeping task, and the deadline it sleeps until.
        var task: Task<Void, Never>?
        var sleepingUntil: Duration = .zero
        /// Tells a replaced task's loop to end.
        var generation: UInt64 = 0
    }

    private let clock: ElapsedClock
    private let state = Locked(State())

    init(clock: ElapsedClock) { self.clock = clock }

    /// Watches `execution`'s timed waits until `deadline`; replaces the previous target.
    func arm(_ execution: ChildExecution, deadline: Duration) {
        let replaced = state.withLock { state -> Task<Void, Never>? in
            state.target = execution
            state.deadline = deadline
            if state.task != nil, state.sleepingUntil <= deadline { return nil }
            let replaced = state.task
            state.generation &+= 1
            state.sleepingUntil = deadline
            let generation = state.generation
            state.task = Task { await self.run(generation: generation, until: deadline) }
            return replaced
        }
        replaced?.cancel()
    }

    /// Ends the batch: forgets the target and cancels the sleep.
    func disarm() {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.target = nil
            state.generation &+= 1
            defer { state.task = nil }
            return state.task
        }
        task?.cancel()
    }

    private func run(generation: UInt64, until first: Duration) async {
        var until = first
        while true {
            do { try await clock.sleep(until) } catch { return }
            let now = clock.now()
            let (expired, next) = state.withLock { state -> (ChildExecution?, Duration?) in
                guard state.generation == generation else { return (nil, nil) }
                guard let target = state.target else {
                    state.task = nil
                    return (nil, nil)
                }
                if state.deadline <= now {
                    state.target = nil
                    state.task = nil
                    return (target, nil)
                }
                state.sleepingUntil = state.deadline
                return (nil, state.deadline)
            }
            expired?.expireWaiters(asOf: now)
            guard let next else { return }
            until = next
        }
    }
}
