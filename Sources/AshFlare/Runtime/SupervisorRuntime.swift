import Logging

/// Executes one supervisor incarnation: a serial loop over its mailbox, like an OTP supervisor
/// process. ``SupervisorState`` decides; this type starts and stops tasks and publishes events.
///
/// Only the loop task mutates this supervisor's ``SupervisorState`` (under the tree lock), except
/// for a child marking itself running. Queries never go through the mailbox, so they are answered
/// at once even while the loop waits for a child to stop.
final class SupervisorRuntime: Sendable {
    enum Message: Sendable {
        case childExited(ChildID, ChildExecution, ChildExitReason)
        case restartDue(token: UInt64)
        case command(Command, CheckedContinuation<ChildID?, any Error>)
        case shutdown
        /// Handed back to the loop by a child's task that handled messages and met one that ends
        /// the supervisor's serving (``Mailbox/handBack(_:)``).
        case stopServing(ChildExitReason)
    }

    enum Command: Sendable {
        case start(ChildSpec, initializationTimeout: Duration?)
        case terminate(ChildID)
        case restart(ChildID)
        case delete(ChildID)
        case kill(ChildID)
        case startFromTemplate(String, arguments: [String])
        /// `command` on child `id`, only if the child is still execution `execution`.
        indirect case ifExecution(UInt64, of: ChildID, Command)
    }

    let key: UInt64
    let path: ChildPath
    let tree: TreeCore
    /// The supervisor holding this one, or nil for the root.
    let parent: SupervisorRuntime?
    /// This incarnation as its parent sees it.
    let execution: ChildExecution
    let metrics: SupervisorMetrics
    private let mailbox = Mailbox<Message>()
    /// Ends this supervisor's timed waits on its children (it waits for one child at a time).
    let deadlines: DeadlineTimer
    /// The backoff timers of the rounds its state names as pending, by token.
    let timers = Locked<[UInt64: Task<Void, Never>]>([:])

    init(key: UInt64, path: ChildPath, tree: TreeCore, parent: SupervisorRuntime?, execution: ChildExecution) {
        self.key = key
        self.path = path
        self.tree = tree
        self.parent = parent
        self.execution = execution
        self.metrics = tree.metrics.supervisorMetrics(path)
        self.deadlines = DeadlineTimer(clock: tree.clock)
        tree.liveSupervisors.add(1, ordering: .relaxed)
    }

    deinit { tree.liveSupervisors.subtract(1, ordering: .relaxed) }

    var id: ChildID { path.id }

    func post(_ message: Message) {
        if mailbox.post(message) == .refused { reject(message) }
    }

    /// Reports a child's exit from the task that ran the child; returns true if that task is to
    /// handle it now (``handleReported(_:from:)``): the loop is idle, so this task handles the
    /// exit, and whatever is posted meanwhile, instead of waking the loop on another thread
    /// (OTP's serial order is kept: one receiver at a time, in posting order). A cancelled task
    /// only posts: its waits would end at once. Synchronous, so an exit that is only posted
    /// (every exit in a shutdown) costs no async frame. Never inlined: in a worker task's body
    /// its locals would enlarge the frame every idle worker keeps.
    @inline(never)
    func report(_ message: Message) -> Bool {
        switch mailbox.post(message, handleHere: !Task.isCancelled) {
        case .refused:
            reject(message)
            return false
        case .queued:
            return false
        case .handleHere:
            return true
        }
    }

    /// Handles `message`, which ``report(_:)`` let this task handle, then what was posted
    /// meanwhile.
    ///
    /// - Parameter execution: The worker incarnation whose task is reporting: if its exit
    ///   restarts it at once, the next incarnation runs on this task (returned; the loop then
    ///   takes the messages that came meanwhile, which might wait for that incarnation).
    /// - Returns: The child's next incarnation, for this task to run.
    func handleReported(_ message: Message, from execution: ChildExecution? = nil) async -> WorkerIncarnation? {
        var adoption: TaskAdoption?
        if case .childExited(let id, _, _) = message, let task = execution?.handOverTask() {
            adoption = TaskAdoption(supervisorKey: key, childID: id, task: task)
        }
        var next: Message? = message
        while let current = next {
            if let reason = await handle(current, adopting: adoption) {
                mailbox.handBack(.stopServing(reason))
                return nil
            }
            if let incarnation = adoption?.next {
                mailbox.resumeLoop()
                return incarnation
            }
            adoption = nil
            next = mailbox.nextHere()
        }
        return nil
    }

    /// Sends a command and waits for its outcome; returns the id of a child it created.
    @discardableResult
    func send(_ command: Command) async throws -> ChildID? {
        try await withCheckedThrowingContinuation { post(.command(command, $0)) }
    }

    private func reject(_ message: Message) {
        if case .command(_, let reply) = message {
            reply.resume(throwing: SupervisorError(.shuttingDown, "supervisor '\(path)' has stopped"))
        }
    }

    /// The supervisor's life: start the children in order, serve messages, stop.
    ///
    /// If a child fails to start, the supervisor's own start fails (OTP's `init/1`): it stops the
    /// children it started, in reverse order, and exits without ever running. Its parent sees a
    /// failed start: the tree's start throws, `startChild` adds nothing, a restart round retries.
    func run() async {
        let initial = tree.withState { $0.supervisors[key]?.childIDs ?? [] }
        if let (failed, why) = await startInOrder(initial, awaitingLast: true) {
            let started = tree.withState { state -> [ChildID] in
                state.modifySupervisor(key) { supervisor in
                    supervisor.phase = .stopping
                    return supervisor.activeChildrenReversed
                } ?? []
            }
            await stopAll(started)
            await finish(with: .error("failed to start '\(path.appending(failed))': \(why)"))
            return
        }
        markRunning()
        var reason = ChildExitReason.shutdown
        while let message = await mailbox.next() {
            if let stop = await handle(message) {
                reason = stop
                break
            }
        }
        await finish(with: reason)
    }

    /// Handles one message; returns why the supervisor stops serving, or nil to go on.
    private func handle(_ message: Message, adopting adoption: TaskAdoption? = nil) async -> ChildExitReason? {
        switch message {
        case .childExited(let id, let execution, let exitReason):
            let outcome = await handleExit(of: id, execution: execution, reason: exitReason, adopting: adoption)
            return outcome == .escalated ? .escalated : nil
        case .restartDue(let token):
            dropTimer(token)
            let due = tree.withState { state in state.modifySupervisor(key) { $0.roundDue(token) } ?? [] }
            await startInOrder(due)
            return nil
        case .command(let command, let reply):
            do {
                let (outcome, created) = try await perform(command)
                reply.resume(returning: created)
                return outcome == .escalated ? .escalated : nil
            } catch {
                reply.resume(throwing: error)
                return nil
            }
        case .shutdown:
            await stopAllChildren()
            return .shutdown
        case .stopServing(let reason):
            return reason
        }
    }

    private func markRunning() {
        tree.withState { state in
            state.supervisors[key]?.phase = .running
            markChildRunning(in: &state, id: id, execution: execution, of: parent, now: tree.clock.now())
        }
        execution.resolveInitialized(.succeeded)
    }

    /// Stops every child in reverse start order (shutdown or escalation).
    func stopAllChildren() async {
        let active = tree.withState { state -> [ChildID] in
            let now = tree.clock.now()
            state.hub.emit(.shutdownBegan(supervisor: path), at: now)
            guard let (stop, cancelled, rounds) = state.modifySupervisor(key, { $0.beginShutdown() }) else { return [] }
            for path in cancelled { state.hub.emit(.restartCancelled(path: path), at: now) }
            rounds.forEach(cancelTimer)
            return stop
        }
        await stopAll(active)
        tree.withState { $0.hub.emit(.shutdownFinished(supervisor: path), at: tree.clock.now()) }
    }

    private func finish(with reason: ChildExitReason) async {
        let isRoot = parent == nil
        let subscribers = tree.withState { state -> [EventBuffer] in
            if isRoot, let supervisor = state.supervisors[key] {
                state.postMortem = tree.contents(of: supervisor, in: state, now: tree.clock.now())
            }
            // Its children's records go, and their logs with them (followers end).
            state.supervisors.removeValue(forKey: key)?.records.ordered.forEach { $0.log?.close() }
            // Until its parent handles the exit, it is stopping (it has no children any more).
            if let parent {
                state.updateRecord(id, in: parent) { record in record.apply(.stopping(execution)) }
            }
            if isRoot {
                state.isClosed = true
                state.rootRecord.apply(.ended(execution, reason, at: tree.clock.now()))
                state.hub.emit(
                    .childExited(path: path, incarnation: execution.incarnation, reason: reason), at: tree.clock.now(),
                    execution: execution.id)
                tree.metrics.recordExit(reason)
                return state.hub.detachAll()
            }
            return []
        }
        subscribers.forEach { $0.finish() }
        mailbox.close().forEach(reject)
        tree.logger.debug("supervisor stopped", metadata: ["supervisor.path": "\(path)", "exit.reason": "\(reason)"])
        deadlines.disarm()
        timers.withLock { $0.keys.sorted() }.forEach(cancelTimer)
        execution.resolveInitialized(.failed(reason))
        execution.resolveExited(reason)
        let exit = Message.childExited(id, execution, reason)
        if let parent, parent.report(exit) { _ = await parent.handleReported(exit) }
    }
}

extension SupervisorRuntime {
    /// Arms the backoff timer of round `token`: at `deadline` the loop gets `restartDue`.
    func armTimer(_ token: UInt64, deadline: Duration) {
        let timer = Task { [tree] in
            guard (try? await tree.clock.sleep(deadline)) != nil else { return }
            self.post(.restartDue(token: token))
        }
        timers.withLock { $0[token] = timer }
        tree.armedTimers.add(1, ordering: .relaxed)
    }

    /// Cancels round `token`'s timer (its restart was cancelled, or the supervisor stops).
    func cancelTimer(_ token: UInt64) { removeTimer(token)?.cancel() }

    /// Forgets round `token`'s timer once it fired.
    func dropTimer(_ token: UInt64) { _ = removeTimer(token) }

    private func removeTimer(_ token: UInt64) -> Task<Void, Never>? {
        guard let timer = timers.withLock({ $0.removeValue(forKey: token) }) else { return nil }
        tree.armedTimers.subtract(1, ordering: .relaxed)
        return timer
    }
}

/// Marks child `id` of `parent` running if `execution` is still its current one, and emits `childStarted`.
func markChildRunning(
    in state: inout TreeState, id: ChildID, execution: ChildExecution, of parent: SupervisorRuntime?, now: Duration
) {
    // Running since now: `childStarted` carries this instant, so events rebuild the field.
    let marked = state.updateRecord(id, in: parent) { record -> ChildPath? in
        record.apply(.initialized(executionID: execution.id, at: now)) ? record.path : nil
    }
    if let path = marked ?? nil {
        state.hub.emit(.childStarted(path: path, incarnation: execution.incarnation), at: now, execution: execution.id)
    }
}
