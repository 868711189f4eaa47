import Logging

extension SupervisorRuntime {
    /// Whether handling a message made the supervisor give up.
    enum Outcome: Hashable, Sendable {
        case serving
        case escalated
    }

    /// Handles a child's own exit report.
    /// - Parameter adoption: The reporting task, offered for the child's next incarnation.
    func handleExit(of id: ChildID, execution: ChildExecution, reason: ChildExitReason, adopting adoption: TaskAdoption? = nil) async -> Outcome {
        let plan = tree.withState { state -> ExitPlan in
            let current = state.modifySupervisor(key) { $0.modifyRecord(id) { $0.execution === execution } } ?? nil
            guard current == true else { return .ignore }
            return decide(id, execution: execution, reason: reason, in: &state)
        }
        return await execute(plan, adopting: adoption)
    }

    /// Runs the state machine on an exit and publishes what it recorded.
    func decide(_ id: ChildID, execution: ChildExecution, reason: ChildExitReason, in state: inout TreeState) -> ExitPlan {
        let incarnation = execution.incarnation
        let now = tree.clock.now()
        let random = tree.random()
        // One in-place access to the supervisor's state; events are emitted after it.
        let decided = state.modifySupervisor(key) { supervisor in
            let plan = supervisor.exitPlan(for: id, execution: execution, reason: reason, now: now, random: random)
            return (plan, supervisor.modifyRecord(id) { $0.path }, supervisor.window)
        }
        guard let (plan, recordPath, window) = decided, plan != .ignore else { return .ignore }
        let removed = recordPath == nil
        let childPath = recordPath ?? path.appending(id)
        state.hub.emit(.childExited(path: childPath, incarnation: incarnation, reason: reason), at: now, execution: execution.id)
        tree.metrics.recordExit(reason)
        tree.logger.debug("child exited", metadata: [
            "child.path": "\(childPath)", "child.incarnation": "\(incarnation)", "exit.reason": "\(reason)",
        ])
        if removed {
            state.hub.emit(.childRemoved(path: childPath), at: now)
        }
        switch plan {
        case .ignore, .settled:
            break
        case .restart(let round):
            emitIntensity(of: window, at: now, in: &state)
            metrics.restarts.increment(by: Int64(round.start.count))
        case .escalate:
            emitIntensity(of: window, at: now, in: &state)
            state.hub.emit(.escalated(supervisor: path), at: now)
            metrics.escalations.increment()
            tree.logger.debug("restart intensity exceeded", metadata: ["supervisor.path": "\(path)"])
        }
        return plan
    }

    /// Announces the window right after a restart was recorded in it.
    private func emitIntensity(of window: IntensityWindow, at now: Duration, in state: inout TreeState) {
        state.hub.emit(
            .intensityChanged(supervisor: path, restarts: window.countAfterRecording, maxRestarts: window.intensity.maxRestarts),
            at: now)
    }

    /// Carries out an exit plan: a restart round, or escalation.
    func execute(_ plan: ExitPlan, adopting adoption: TaskAdoption? = nil) async -> Outcome {
        switch plan {
        case .ignore, .settled:
            return .serving
        case .escalate:
            await stopAllChildren()
            return .escalated
        case .restart(let round):
            // Each async call costs a frame on the task's allocator; a one-for-one round stops nobody.
            if !round.stop.isEmpty { await stopAll(round.stop) }
            // After the stops, in one lock hold: the drops, then the restarts as scheduled (each
            // child's state and its event together, so snapshots and events never disagree).
            let startNow = tree.withState { state -> Bool in
                let now = tree.clock.now()
                for id in round.drop {
                    state.supervisors[key]?.remove(id)
                    state.hub.emit(.childRemoved(path: path.appending(id)), at: now)
                }
                let observed = state.hub.hasSubscribers
                let paths = state.modifySupervisor(key) { $0.schedule(round, at: now, reporting: observed) } ?? []
                // The backoff counts from the exit: what is left of it once the stops are done.
                let remaining = max(round.deadline - now, .zero)
                if remaining > .zero { armTimer(round.token, deadline: round.deadline) }
                if observed {
                    for childPath in paths { state.hub.emit(.restartScheduled(path: childPath, delay: remaining), at: now) }
                } else {
                    // Unobserved: only the numbering advances.
                    for _ in round.start { state.hub.emit(.restartScheduled(path: path, delay: remaining), at: now) }
                }
                return remaining == .zero
            }
            if startNow { await startInOrder(round.start, adopting: adoption) }
            return .serving
        }
    }
}
