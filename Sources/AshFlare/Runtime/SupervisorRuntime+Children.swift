import Logging

extension SupervisorRuntime {
    /// Starts children in order. Before starting the next one it waits for the previous one's
    /// `initialize()` (OTP's synchronous start), so later children may rely on earlier ones.
    ///
    /// Stops at the first child whose `initialize()` fails, as OTP's `start_children` does: the
    /// later ones are not started. In a restart round the failed child's own exit then plans the
    /// next round (counted, like OTP's `try_again_restart`), which includes them.
    /// - Parameters:
    ///   - awaitingLast: Whether to wait for the last child's `initialize()` too.
    ///   - adoption: A reporting task the last child may run on (nobody waits for the last one).
    /// - Returns: The failed child and why, if one failed.
    @discardableResult
    func startInOrder(
        _ ids: [ChildID], awaitingLast: Bool = false, adopting adoption: TaskAdoption? = nil
    ) async -> (ChildID, ChildExitReason)? {
        for (index, id) in ids.enumerated() {
            let isLast = index == ids.count - 1
            guard let execution = launch(id, adopting: isLast && !awaitingLast ? adoption : nil) else { continue }
            guard awaitingLast || !isLast else { continue }
            if case .failed(let reason) = await execution.waitInitialized() {
                notStarted(ids[(index + 1)...])
                return (id, reason)
            }
        }
        return nil
    }

    /// Children a round scheduled but did not start (an earlier one failed): stopped again, each
    /// with a `restartCancelled` so an observer that saw them starting sees them stopped.
    private func notStarted(_ ids: ArraySlice<ChildID>) {
        guard !ids.isEmpty else { return }
        tree.withState { state in
            let cancelled = state.modifySupervisor(key) { supervisor -> [ChildPath] in
                ids.compactMap { id in
                    supervisor.modifyRecord(id) { record -> ChildPath? in
                        guard record.state == .starting, record.apply(.restartCancelled) else { return nil }
                        return record.path
                    } ?? nil
                }
            } ?? []
            let now = tree.clock.now()
            for path in cancelled { state.hub.emit(.restartCancelled(path: path), at: now) }
        }
    }

    /// Starts a new incarnation of child `id`; returns nil if there is nothing to start.
    /// - Parameter adoption: A worker task that reported this child's exit: the incarnation is
    ///   handed to it (``TaskAdoption/next``) instead of to a new task.
    func launch(_ id: ChildID, adopting adoption: TaskAdoption? = nil) -> ChildExecution? {
        tree.withState { state -> ChildExecution? in
            // In place: never copy the SupervisorState or the record out of the dictionary (a
            // copy of the state would make the write copy every record, quadratic over a start).
            let now = tree.clock.now()
            var nestedState: (key: UInt64, state: SupervisorState)?
            let execution = state.modifySupervisor(key) { supervisor -> ChildExecution? in
                guard supervisor.phase == .starting || supervisor.phase == .running else { return nil }
                let store = supervisor.store
                return supervisor.modifyRecord(id) { record -> ChildExecution? in
                    // Checked before the task is made; `launched` below then always applies.
                    guard record.canLaunch else { return nil }
                    let execution = ChildExecution(incarnation: record.incarnation + 1, id: tree.makeExecutionID())
                    var nested: SupervisorRuntime?
                    switch record.spec.kind {
                    case .worker(let factory):
                        let log = record.log ?? ChildLog(limits: tree.logLimits, clock: tree.clock)
                        log.begin(incarnation: execution.incarnation)
                        record.log = log
                        var context = ChildContext(path: record.path, incarnation: execution.incarnation, store: store, log: log)
                        context.execution = execution
                        context.clock = tree.clock
                        context.supervisor = SupervisorScope(path: path, core: tree)
                        tree.metrics.activeWorkers.record(tree.liveWorkerTasks.add(1, ordering: .relaxed).newValue)
                        if let adoption, adoption.supervisorKey == key, adoption.childID == id, adoption.next == nil {
                            execution.attach(adoption.task)
                            adoption.next = WorkerIncarnation(factory: factory, context: context, execution: execution)
                        } else {
                            execution.attach(Task {
                                let reason = await WorkerRunner.run(factory, context: context, execution: execution, supervisor: self)
                                if self.reportExit(of: execution, context: context, reason: reason) {
                                    await self.handleExit(reportedBy: execution, context: context, reason: reason)
                                }
                            })
                        }
                    case .supervisor(let spec):
                        let runtime = SupervisorRuntime(
                            key: tree.makeKey(), path: record.path, tree: tree, parent: self, execution: execution)
                        nestedState = (runtime.key, SupervisorState(path: record.path, spec: spec, inheritedStore: store))
                        nested = runtime
                        // Its loop first reads its state under the tree lock, so after the insert below.
                        Task { await runtime.run() }
                    }
                    record.apply(.launched(execution, nested: nested, at: now))
                    return execution
                } ?? nil
            } ?? nil
            if let nestedState {
                state.supervisors[nestedState.key] = nestedState.state
                state.hub.emitAdded(childrenOf: nestedState.state, at: now)
            }
            return execution
        }
    }

    /// ``report(_:)`` of a worker's exit, building the message here: a worker task's body
    /// keeps no message in its frame.
    @inline(never)
    func reportExit(of execution: ChildExecution, context: ChildContext, reason: ChildExitReason) -> Bool {
        report(.childExited(context.path.id, execution, reason))
    }

    /// Handles the exit a worker task reported (``report(_:)`` let it), and runs each next
    /// incarnation handed to this task (``TaskAdoption``), reporting theirs. A frame of its own,
    /// made only once the worker has ended: the frames an idle worker keeps stay inside the
    /// task's first allocator slab (measured: one more frame costs every idle worker ≈ 1 KB).
    @inline(never)
    func handleExit(reportedBy execution: ChildExecution, context: ChildContext, reason: ChildExitReason) async {
        var next = await handleReported(.childExited(context.path.id, execution, reason), from: execution)
        while let incarnation = next {
            // A child that crashes at once must not hold this thread: the other tasks run
            // first, as they would before a new task.
            await Task.yield()
            let (context, execution) = (incarnation.context, incarnation.execution)
            let reason = await WorkerRunner.run(incarnation.factory, context: context, execution: execution, supervisor: self)
            let exit = Message.childExited(context.path.id, execution, reason)
            next = report(exit) ? await handleReported(exit, from: execution) : nil
        }
    }

    /// Stops child `id` per its shutdown policy and records it as stopped (or abandoned).
    /// Returns the exit reason recorded, or nil if the child had no live incarnation.
    /// - Parameter inBatch: Leaves ``deadlines`` armed for the next stop of a batch; the caller
    ///   disarms it after the batch.
    @discardableResult
    func stop(_ id: ChildID, recording: Bool = true, inBatch: Bool = false, forcing: Bool = false) async -> ChildExitReason? {
        guard let (execution, nested, policy, childPath) = beginStop(id) else { return nil }
        let reason: ChildExitReason
        if nested == nil, let enforcer = execution.beginStop() {
            reason = .stopped(await enforce(enforcer, on: execution, policy: forcing ? .brutal : policy, inBatch: inBatch))
        } else {
            reason = await cancel(execution, nested: nested, policy: policy, childPath: childPath, inBatch: inBatch)
        }
        tree.withState { state in
            let now = tree.clock.now()
            if reason == .abandoned {
                state.hub.emit(.abandoned(path: childPath, incarnation: execution.incarnation), at: now, execution: execution.id)
            }
            guard recording else { return }
            state.updateRecord(id, in: self) { record in record.apply(.ended(execution, reason, at: now)) }
            state.hub.emit(.childExited(path: childPath, incarnation: execution.incarnation, reason: reason), at: now, execution: execution.id)
            tree.metrics.recordExit(reason)
        }
        return reason
    }

    /// Stops a task worker or nested supervisor by cancellation or message, per `policy`;
    /// returns `.shutdown`, or `.abandoned` if it outlived its timeout.
    private func cancel(
        _ execution: ChildExecution, nested: SupervisorRuntime?, policy: ShutdownPolicy, childPath: ChildPath, inBatch: Bool
    ) async -> ChildExitReason {
        if let nested { nested.post(.shutdown) } else { execution.cancel() }
        let finished: Bool
        switch policy {
        case .brutal where nested == nil:
            // Not waited for: a task still running is counted as left behind until it ends.
            guard execution.exitReason == nil, execution.markAbandoned() else { return .shutdown }
            tree.abandonedWorkerTasks.add(1, ordering: .relaxed)
            return .stopped(.cancelledNotAwaited)
        case .brutal:
            finished = true
        case .infinity:
            finished = await execution.waitExited() != nil
        case .timeout(let limit):
            let deadline = tree.clock.now() + limit
            deadlines.arm(execution, deadline: deadline)
            finished = await execution.waitExited(until: deadline, clock: tree.clock) != nil
            if !inBatch { deadlines.disarm() }
        }
        let abandoned = !finished && execution.markAbandoned()
        if abandoned {
            if nested == nil {
                tree.abandonedWorkerTasks.add(1, ordering: .relaxed)
                tree.metrics.abandoned.increment()
            }
            tree.logger.debug("child abandoned after its shutdown timeout", metadata: ["child.path": "\(childPath)"])
        }
        return abandoned ? .abandoned : .shutdown
    }

    /// Stops a child whose worker registered a ``StopEnforcer``, per `policy`, and waits for it
    /// to end: it is never abandoned.
    private func enforce(
        _ enforcer: any StopEnforcer, on execution: ChildExecution, policy: ShutdownPolicy, inBatch: Bool
    ) async -> StopOutcome {
        switch policy {
        case .brutal:
            enforcer.forceStop()
            _ = await execution.waitExited()
            return .killedAtOnce
        case .infinity:
            enforcer.requestStop()
            _ = await execution.waitExited()
            return .exitedAfterRequest
        case .timeout(let limit):
            enforcer.requestStop()
            let deadline = tree.clock.now() + limit
            deadlines.arm(execution, deadline: deadline)
            let exited = await execution.waitExited(until: deadline, clock: tree.clock) != nil
            if !inBatch { deadlines.disarm() }
            if exited { return .exitedAfterRequest }
            enforcer.forceStop()
            _ = await execution.waitExited()
            return .killedAfterTimeout
        }
    }

    private func beginStop(_ id: ChildID) -> (ChildExecution, SupervisorRuntime?, ShutdownPolicy, ChildPath)? {
        tree.withState { state in
            state.updateRecord(id, in: self) { record -> (ChildExecution, SupervisorRuntime?, ShutdownPolicy, ChildPath)? in
                guard let execution = record.execution, record.apply(.stopping(execution)) else { return nil }
                return (execution, record.nested, record.spec.shutdown, record.path)
            } ?? nil
        }
    }

    /// Stops children in the order given (callers pass reverse start order).
    func stopAll(_ ids: [ChildID]) async {
        for id in ids { await stop(id, inBatch: true) }
        deadlines.disarm()
    }
}
