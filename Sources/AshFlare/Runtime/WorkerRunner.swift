import Logging

/// The body of a worker child's task: factory → `initialize` → `run` → `shutdown` hook → report.
///
/// One async function, with the bookkeeping in synchronous helpers: every async frame lives on
/// the task's allocator for the whole life of the worker, so fewer and smaller frames mean
/// fewer ≈ 1 KB allocator slabs per idle child.
enum WorkerRunner {
    static func run(
        _ factory: @escaping WorkerFactory, context: ChildContext, execution: ChildExecution, supervisor: SupervisorRuntime
    ) async {
        var next: WorkerIncarnation? = WorkerIncarnation(factory: factory, context: context, execution: execution)
        while let incarnation = next {
            next = await run(incarnation, supervisor: supervisor)
            // A child that crashes at once would otherwise hold this thread forever: let the
            // other tasks run before its next incarnation, as a new task would.
            if next != nil { await Task.yield() }
        }
    }

    /// Runs one incarnation; returns the next one if the exit it reported restarted the child
    /// onto this task (``TaskAdoption``).
    private static func run(_ incarnation: WorkerIncarnation, supervisor: SupervisorRuntime) async -> WorkerIncarnation? {
        let (factory, context, execution) = (incarnation.factory, incarnation.context, incarnation.execution)
        var reason = ChildExitReason.normal
        do {
            var worker = try factory(context)
            do {
                try await worker.initialize()
            } catch {
                reason = failedInitialization(error, execution: execution)
                return await report(reason, context: context, execution: execution, supervisor: supervisor)
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
        return await report(reason, context: context, execution: execution, supervisor: supervisor)
    }

    @inline(never)
    private static func failedInitialization(_ error: any Error, execution: ChildExecution) -> ChildExitReason {
        let reason = exitReason(for: error)
        execution.resolveInitialized(.failed(reason))
        return reason
    }

    @inline(never)
    /// Running (and `childStarted`) first, then the waiters: whoever waited for this start (the
    /// tree's start, the next child in order, a `restart` call) sees the child running.
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

    @inline(never)
    private static func report(
        _ reason: ChildExitReason, context: ChildContext, execution: ChildExecution, supervisor: SupervisorRuntime
    ) async -> WorkerIncarnation? {
        let tree = supervisor.tree
        if execution.markFinished() { tree.abandonedWorkerTasks.subtract(1, ordering: .relaxed) }
        tree.metrics.activeWorkers.record(tree.liveWorkerTasks.subtract(1, ordering: .relaxed).newValue)
        execution.resolveExited(reason)
        return await supervisor.report(.childExited(context.path.id, execution, reason), from: execution)
    }

    /// The exit reason a worker's error stands for. ``WorkerError``, the common crash, is read
    /// without `String(describing:)` (its conformance lookups were a tenth of a crash → restart).
    static func exitReason(for error: any Error) -> ChildExitReason {
        if let crash = error as? WorkerError { return .error(crash.message) }
        if let exit = error as? WorkerExit { return exit.reason }
        return error is CancellationError ? .shutdown : .error(String(describing: error))
    }
}

/// What a worker task needs to run one incarnation of its child.
struct WorkerIncarnation: Sendable {
    let factory: WorkerFactory
    let context: ChildContext
    let execution: ChildExecution
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
