extension SupervisorRuntime {
    /// Performs a management command from the handle.
    func perform(_ command: Command) async throws -> (Outcome, created: ChildID?) {
        try ensureServing()
        switch command {
        case .start(let spec, let timeout):
            try await startChild(spec, initializationTimeout: timeout)
        case .startFromTemplate(let name, let arguments):
            return (.serving, try await startFromTemplate(name, arguments: arguments))
        case .terminate(let id):
            try await terminate(id)
        case .restart(let id):
            try await restart(id)
        case .delete(let id):
            try delete(id)
        case .kill(let id):
            return (try await kill(id), nil)
        case .ifExecution(let expected, let id, let command):
            // Checked in the same turn of this supervisor's loop as the command runs: nothing
            // else starts a new execution of the child in between.
            let record = try record(id)
            guard record.executionID == expected else {
                throw SupervisorError(
                    .staleExecution,
                    "'\(path.appending(id))' is execution \(record.executionID) (incarnation \(record.incarnation)) now, not \(expected): it was restarted since")
            }
            return try await perform(command)
        }
        return (.serving, nil)
    }

    /// Makes a child from a template under a fresh id and starts it like ``startChild``.
    private func startFromTemplate(_ name: String, arguments: [String]) async throws -> ChildID {
        let (template, id) = try tree.withState { state throws(SupervisorError) in
            guard let supervisor = state.supervisors[key] else { throw SupervisorError(.shuttingDown, "supervisor '\(path)' has stopped") }
            return (try supervisor.template(named: name), supervisor.freeID(for: name))
        }
        let spec: ChildSpec
        do {
            spec = try template.make(TemplateRequest(id: id, arguments: arguments))
        } catch {
            throw SupervisorError(.badArguments, "template '\(name)' rejected \(arguments): \(error)")
        }
        guard spec.id == id else {
            throw SupervisorError(.badArguments, "template '\(name)' made a child with id '\(spec.id)' instead of '\(id)'")
        }
        try await startChild(spec, initializationTimeout: nil)
        return id
    }

    private func ensureServing() throws(SupervisorError) {
        try tree.withState { state throws(SupervisorError) in
            guard let phase = state.supervisors[key]?.phase, phase == .running || phase == .starting else {
                throw SupervisorError(.shuttingDown, "supervisor '\(path)' is shutting down")
            }
        }
    }

    private func record(_ id: ChildID) throws(SupervisorError) -> ChildRecord {
        try tree.withState { state throws(SupervisorError) in
            guard let record = state.supervisors[key]?.records[id] else { throw .notFound(path.appending(id)) }
            return record
        }
    }

    /// Adds a child and waits for its `initialize()`; on failure the child is removed again.
    private func startChild(_ spec: ChildSpec, initializationTimeout: Duration?) async throws {
        try spec.validate(under: path)
        let childPath = path.appending(spec.id)
        try tree.withState { state throws(SupervisorError) in
            let observed = state.hub.hasSubscribers
            guard let added = try state.modifySupervisor(key, { supervisor throws(SupervisorError) in
                try supervisor.insert(spec)
                return observed ? supervisor.records[spec.id] : nil
            }) else { return }
            state.hub.emitAdded(added ?? ChildRecord(spec: spec, path: childPath), at: tree.clock.now())
        }
        guard let execution = launch(spec.id) else { return }
        let outcome: InitOutcome?
        if let initializationTimeout {
            let deadline = tree.clock.now() + initializationTimeout
            deadlines.arm(execution, deadline: deadline)
            outcome = await execution.waitInitialized(until: deadline, clock: tree.clock)
            deadlines.disarm()
        } else {
            outcome = await execution.waitInitialized()
        }
        switch outcome {
        case .succeeded:
            return
        case .failed(let reason):
            removeChild(spec.id)
            throw SupervisorError(.initializationFailed, "'\(childPath)' failed to initialize: \(reason)")
        case nil:
            await stop(spec.id)
            removeChild(spec.id)
            throw SupervisorError(.initializationTimeout, "'\(childPath)' did not initialize within \(initializationTimeout ?? .zero)")
        }
    }

    private func removeChild(_ id: ChildID) {
        tree.withState { state in
            guard state.supervisors[key]?.records[id] != nil else { return }
            state.supervisors[key]?.remove(id)
            state.hub.emit(.childRemoved(path: path.appending(id)), at: tree.clock.now())
        }
    }

    /// Stops a child and keeps its spec (a temporary child's spec is dropped, as in OTP).
    private func terminate(_ id: ChildID) async throws {
        let record = try record(id)
        switch record.state {
        case .starting, .running, .stopping:
            await stop(id)
        case .backingOff:
            let idleRound = tree.withState { state -> UInt64? in
                guard let cancelled = state.modifySupervisor(key, { $0.cancelPendingRestart(of: id) }) ?? nil else { return nil }
                state.hub.emit(.restartCancelled(path: cancelled.path), at: tree.clock.now())
                return cancelled.idleRound
            }
            if let idleRound { cancelTimer(idleRound) }
        case .stopped, .failed, .abandoned:
            break
        }
        if record.spec.restart == .temporary { removeChild(id) }
    }

    /// Starts a stopped child again (OTP's `restart_child`); waits for its `initialize()`.
    ///
    /// If that fails the error is the reply and the child stays stopped: its policy does not
    /// restart it and nothing is counted (OTP answers `{error, Reason}` and keeps the spec).
    private func restart(_ id: ChildID) async throws {
        let record = try record(id)
        try requireStopped(record, id, for: .restart)
        guard let execution = launch(id) else { return }
        if case .failed(let reason) = await execution.waitInitialized() {
            recordFailedStart(id, execution: execution, reason: reason)
            throw SupervisorError(.initializationFailed, "'\(path.appending(id))' failed to initialize: \(reason)")
        }
    }

    /// Records a start the caller answers for as stopped, so the execution's own exit report
    /// (still in the mailbox) is ignored instead of restarting the child.
    private func recordFailedStart(_ id: ChildID, execution: ChildExecution, reason: ChildExitReason) {
        tree.withState { state in
            let now = tree.clock.now()
            let path = state.updateRecord(id, in: self) { record -> ChildPath? in
                record.apply(.ended(execution, reason, at: now)) ? record.path : nil
            } ?? nil
            guard let path else { return }
            state.hub.emit(.childExited(path: path, incarnation: execution.incarnation, reason: reason), at: now, execution: execution.id)
            tree.metrics.recordExit(reason)
        }
    }

    /// Removes a stopped child's spec (OTP's `delete_child`).
    private func delete(_ id: ChildID) throws {
        try requireStopped(try record(id), id, for: .delete)
        removeChild(id)
    }

    private func requireStopped(_ record: ChildRecord, _ id: ChildID, for operation: ChildOperation) throws(SupervisorError) {
        switch record.state.refusal(of: operation) {
        case nil:
            return
        case .childRestarting?:
            throw SupervisorError(.childRestarting, "'\(path.appending(id))' is waiting to restart; terminate it first")
        case let code?:
            throw SupervisorError(code, "'\(path.appending(id))' is running; terminate it first")
        }
    }

    /// Fault injection: stops the child, then treats it as crashed with reason `killed`.
    private func kill(_ id: ChildID) async throws -> Outcome {
        let record = try record(id)
        guard record.state.allows(.kill), let execution = record.execution else {
            throw SupervisorError(.childNotRunning, "'\(path.appending(id))' is not running (\(record.state))")
        }
        await stop(id, recording: false, forcing: true)
        let plan = tree.withState { state in
            decide(id, execution: execution, reason: .killed, in: &state)
        }
        return await execute(plan)
    }
}
