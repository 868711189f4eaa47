import Logging

/// One incarnation of a worker child: factory → `initialize` → `run` → `shutdown` hook; its
/// task then reports the exit (``SupervisorRuntime/report(_:)``).
///
/// One async function, with the bookkeeping in synchronous helpers: every async frame lives on
/// the task's allocator for the whole life of the worker, so fewer and smaller frames mean
/// fewer ≈ 1 KB allocator slabs per idle child (an `await` after `run()` in this frame, or an
/// async frame around it, costs one: measured with `ashflare-profile start`).
enum WorkerRunner {
    /// Runs the incarnation; returns its exit reason, with the incarnation marked finished.
    static func run(
        _ factory: WorkerFactory, context: ChildContext, execution: ChildExecution, supervisor: SupervisorRuntime
    ) async -> ChildExitReason {
        var reason = ChildExitReason.normal
        do {
            var worker = try factory(context)
            do {
                try await worker.initialize()
            } catch {
                reason = failedInitialization(error, execution: execution)
                return finished(reason, execution: execution, supervisor: supervisor)
            }
            initialized(context: context, execution: execution, supervisor: supervisor)
            do {
                try await worker.run()
            } catch {
                reason = exitReason(for: error)
            }
            do {
                try await worker.shutdown()
            } catch {
                shutdownHookFailed(error, context: context, supervisor: supervisor)
            }
        } catch {
            reason = failedInitialization(error, execution: execution)
        }
        return finished(reason, execution: execution, supervisor: supervisor)
    }

    @inline(never)
    private static func failedInitialization(_ error: any Error, execution: ChildExecution) -> ChildExitReason {
        let reason = exitReason(for: error)
        execution.resolveInitialized(.failed(reason))
        return reason
    }

    /// Running (and `childStarted`) first, then the waiters: whoever waited for this start (the
    /// tree's start, the next child in order, a `restart` call) sees the child running.
    @inline(never)
    private static func initialized(context: ChildContext, execution: ChildExecution, supervisor: SupervisorRuntime) {
        supervisor.tree.withState { state in
            markChildRunning(
                in: &state, id: context.path.id, execution: execution, of: supervisor, now: supervisor.tree.clock.now())
        }
        execution.resolveInitialized(.succeeded)
    }

    @inline(never)
    private static func shutdownHookFailed(_ error: any Error, context: ChildContext, supervisor: SupervisorRuntime) {
        supervisor.tree.logger.debug("worker shutdown hook failed", metadata: [
            "child.path": "\(context.path)", "error": "\(error)",
        ])
    }

    /// The incarnation's bookkeeping once it ended, before its exit is reported.
    @inline(never)
    private static func finished(_ reason: ChildExitReason, execution: ChildExecution, supervisor: SupervisorRuntime) -> ChildExitReason {
        let tree = supervisor.tree
        if execution.markFinished() { tree.abandonedWorkerTasks.subtract(1, ordering: .relaxed) }
        tree.metrics.activeWorkers.record(tree.liveWorkerTasks.subtract(1, ordering: .relaxed).newValue)
        execution.resolveExited(reason)
        return reason
    }

    static func exitReason(for error: any Error) -> ChildExitReason {
        if let crash = error as? WorkerError { return .error(crash.message) }
        // Every worker stopped by a shutdown ends here: one cast, not two.
        if error is CancellationError { return .shutdown }
        if let exit = error as? WorkerExit { return exit.reason }
        return .error(String(describing: error))
    }
}

/// What a worker task needs to run one more incarnation of its child.
final class WorkerIncarnation: Sendable {
    let factory: WorkerFactory
    let context: ChildContext
    let execution: ChildExecution

    init(factory: @escaping WorkerFactory, context: ChildContext, execution: ChildExecution) {
        self.factory = factory
        self.context = context
        self.execution = execution
    }
}

/// A worker task offering itself for its child's next incarnation while it handles its own
/// exit: if that exit restarts the child at once, as the last start of the round (which nobody
/// waits for), ``SupervisorRuntime/launch(_:adopting:)`` hands the incarnation to this task
/// instead of creating a new one. Lives on the reporting task only.
final class TaskAdoption {
    let supervisorKey: UInt64
    let childID: ChildID
    let task: Task<Void, Never>
    /// The incarnation handed over, once it is.
    var next: WorkerIncarnation?

    init(supervisorKey: UInt64, childID: ChildID, task: Task<Void, Never>) {
        self.supervisorKey = supervisorKey
        self.childID = childID
        self.task = task
    }
}
