import Logging

/// The body of a worker child's task: factory → `initialize` → `run` → `shutdown` hook → report.
///
/// One async function, with the bookkeeping in synchronous helpers: every async frame lives on
/// the task's allocator for the whole life of the worker, so fewer and smaller frames mean
/// fewer ≈ 1 KB allocator slabs per idle child.
enum WorkerRunner {
    static func run(
        _ factory: WorkerFactory, context: ChildContext, execution: ChildExecution, supervisor: SupervisorRuntime
    ) async {
        var reason = ChildExitReason.normal
        do {
            var worker = try factory(context)
            do {
                try await worker.initialize()
            } catch {
                reason = failedInitialization(error, execution: execution)
                report(reason, context: context, execution: execution, supervisor: supervisor)
                return
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
        report(reason, context: context, execution: execution, supervisor: supervisor)
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
    ) {
        let tree = supervisor.tree
        if execution.markFinished() { tree.abandonedWorkerTasks.subtract(1, ordering: .relaxed) }
        tree.metrics.activeWorkers.record(tree.liveWorkerTasks.subtract(1, ordering: .relaxed).newValue)
        execution.resolveExited(reason)
        supervisor.post(.childExited(context.path.id, execution, reason))
    }

    static func exitReason(for error: any Error) -> ChildExitReason {
        if let exit = error as? WorkerExit { return exit.reason }
        return error is CancellationError ? .shutdown : .error(String(describing: error))
    }
}
