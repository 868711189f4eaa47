import Logging

/// The body of a worker child's task: factory → `initialize` → `run` → `shutdown` hook → report.
enum WorkerRunner {
    static func run(
        _ factory: WorkerFactory, context: ChildContext, execution: ChildExecution, supervisor: SupervisorRuntime
    ) async {
        let tree = supervisor.tree
        let reason = await runIncarnation(factory, context: context, execution: execution, supervisor: supervisor)
        if execution.markFinished() { tree.abandonedWorkerTasks.subtract(1, ordering: .relaxed) }
        tree.metrics.activeWorkers.record(tree.liveWorkerTasks.subtract(1, ordering: .relaxed).newValue)
        execution.resolveExited(reason)
        supervisor.post(.childExited(context.path.id, execution, reason))
    }

    private static func runIncarnation(
        _ factory: WorkerFactory, context: ChildContext, execution: ChildExecution, supervisor: SupervisorRuntime
    ) async -> ChildExitReason {
        var worker: any Worker
        do {
            worker = try factory(context)
            try await worker.initialize()
        } catch {
            let reason = exitReason(for: error)
            execution.resolveInitialized(.failed(reason))
            return reason
        }
        execution.resolveInitialized(.succeeded)
        supervisor.tree.withState { state in
            markChildRunning(
                in: &state, id: context.path.id, incarnation: context.incarnation, of: supervisor,
                now: supervisor.tree.clock.now())
        }
        let reason: ChildExitReason
        do {
            try await worker.run()
            reason = .normal
        } catch {
            reason = exitReason(for: error)
        }
        do {
            try await worker.shutdown()
        } catch {
            supervisor.tree.logger.debug("worker shutdown hook failed", metadata: [
                "child.path": "\(context.path)", "error": "\(error)",
            ])
        }
        return reason
    }

    static func exitReason(for error: any Error) -> ChildExitReason {
        error is CancellationError ? .shutdown : .error(String(describing: error))
    }
}
