/// The pure state of one supervisor incarnation: its children in start order, its restart
/// window, and the OTP restart rules (those in `Rules/` applied to its children). It holds no
/// task, timer or clock: it names the restart rounds waiting for their backoff by token, and
/// ``SupervisorRuntime`` arms and cancels the timers for them.
struct SupervisorState: Sendable {
    /// Where the supervisor is in its life cycle.
    enum Phase: Hashable, Sendable {
        /// Starting its initial children. Can go to `running` or `stopping`.
        case starting
        /// Serving. Can go to `stopping`.
        case running
        /// Stopping its children (shutdown or escalation). Can go to `stopped`.
        case stopping
        /// Finished; accepts nothing more.
        case stopped
    }

    let path: ChildPath
    let strategy: RestartStrategy
    let templates: [WorkerTemplate]
    /// The store workers below receive: this supervisor's own, or the one it inherited.
    let store: WorkerContext?
    /// Whether ``store`` is this supervisor's own.
    let ownsStore: Bool
    var window: IntensityWindow
    var phase: Phase = .starting
    /// The children's records, in start order.
    var records: ChildRecords
    private var nextToken: UInt64 = 0
    /// The restart rounds waiting out a backoff, by token: each has a timer in the runtime.
    private(set) var pendingRounds: Set<UInt64> = []

    init(path: ChildPath, spec: SupervisorSpec, inheritedStore: WorkerContext? = nil) {
        self.path = path
        self.strategy = spec.strategy
        self.templates = spec.templates
        self.store = spec.context ?? inheritedStore
        self.ownsStore = spec.context != nil
        self.window = IntensityWindow(spec.intensity)
        var records = ChildRecords(minimumCapacity: spec.children.count)
        for child in spec.children { records.append(ChildRecord(spec: child, path: path.appending(child.id))) }
        self.records = records
    }

    var intensity: RestartIntensity { window.intensity }

    /// Runs `body` on child `id`'s record in place: one hash and no copy (`records[id]` copies
    /// the record out and back). Nil if there is no such child.
    @inline(__always) @discardableResult
    mutating func modifyRecord<R>(_ id: ChildID, _ body: (inout ChildRecord) -> R) -> R? {
        records.modify(id, body)
    }

    /// The ids of the children, in start order.
    private var order: [ChildID] { records.ids }

    /// Appends a child spec; throws if the id is taken (OTP's `already_started` for a live
    /// child, `already_present` for a stopped spec).
    mutating func insert(_ spec: ChildSpec) throws(SupervisorError) {
        if let existing = records[spec.id] {
            if existing.state.isActive {
                throw SupervisorError(.childAlreadyExists, "'\(path.appending(spec.id))' already exists and is \(existing.state)")
            }
            throw SupervisorError(
                .childAlreadyPresent, "'\(path.appending(spec.id))' is already present (\(existing.state)); restart or delete it")
        }
        records.append(ChildRecord(spec: spec, path: path.appending(spec.id)))
    }

    /// Removes a child spec.
    mutating func remove(_ id: ChildID) {
        records.remove(id)
    }

    /// Children ids in start order.
    var childIDs: [ChildID] { order }

    /// The ids of children with a live incarnation, in reverse start order.
    var activeChildrenReversed: [ChildID] {
        records.ordered.indices.reversed().compactMap { records.ordered[$0].state.isActive ? records.ids[$0] : nil }
    }

    /// Applies OTP's rules to an exit and returns what to do.
    ///
    /// Records the exit on the child. `random` (in `0..<1`) feeds the backoff jitter.
    mutating func exitPlan(
        for id: ChildID, execution: ChildExecution, reason: ChildExitReason, now: Duration, random: Double
    ) -> ExitPlan {
        guard phase == .running || phase == .starting else { return .ignore }
        let policy = modifyRecord(id) { record -> RestartPolicy? in
            record.apply(.ended(execution, reason, at: now)) ? record.spec.restart : nil
        } ?? nil
        guard let policy else { return .ignore }

        if policy == .temporary {
            remove(id)
            return .settled
        }
        guard policy.restarts(after: reason) else { return .settled }
        return restartPlan(after: id, now: now, random: random)
    }

    /// Plans the strategy's restart round for `failed`, counting it against the intensity.
    mutating func restartPlan(after failed: ChildID, now: Duration, random: Double) -> ExitPlan {
        if window.recordRestart(at: now) { return .escalate }
        var plan = RestartPlan(stop: [], drop: [], start: [], delay: .zero, deadline: now, token: nextToken)
        nextToken += 1
        guard let failedAt = records.position(of: failed) else { return .restart(plan) }
        let members = records.ordered.map { RestartRound.Member(isActive: $0.state.isActive, policy: $0.spec.restart) }
        let round = RestartRound.plan(strategy, failed: failedAt, members: members)
        plan.stop = round.stop.map { records.ids[$0] }
        plan.drop = round.drop.map { records.ids[$0] }
        plan.start = round.start.map { records.ids[$0] }
        plan.delay = records.modify(at: failedAt) { record -> Duration in
            let delay = record.spec.backoff.delay(forAttempt: record.backoffAttempt, random: random)
            record.backoffAttempt &+= 1
            return delay
        }
        plan.deadline = now + plan.delay
        return .restart(plan)
    }

    /// Records that round `plan` is scheduled, once its stops are done: each child to start
    /// counts one restart and, with a backoff, waits for it (the runtime arms the timer);
    /// without one it is starting from now on.
    /// Returns the children's paths, in start order, for their `restartScheduled` events (none
    /// unless `reporting`: unobserved, the events are never built).
    /// - Parameter now: When the round is scheduled; the children wait only if the round's
    ///   deadline (decided at the exit) is still ahead.
    mutating func schedule(_ plan: RestartPlan, at now: Duration, reporting: Bool) -> [ChildPath] {
        var paths: [ChildPath] = []
        // Without a delay they are started right after this lock hold: already starting, as
        // `restartScheduled` says.
        let until = plan.deadline > now ? plan.deadline : nil
        if until != nil { pendingRounds.insert(plan.token) }
        for id in plan.start {
            modifyRecord(id) { record in
                record.apply(.restartScheduled(until: until, round: plan.token))
                if reporting { paths.append(record.path) }
            }
        }
        return paths
    }

    /// Cancels `id`'s pending restart (it becomes stopped). Returns the child's path if a
    /// restart was cancelled, and the round's token once no other child waits for it (the
    /// runtime cancels its timer).
    mutating func cancelPendingRestart(of id: ChildID) -> (path: ChildPath, idleRound: UInt64?)? {
        guard let token = records[id]?.restartToken else { return nil }
        let path = modifyRecord(id) { record in
            record.apply(.restartCancelled)
            return record.path
        }!
        guard children(waitingFor: token).isEmpty else { return (path, nil) }
        pendingRounds.remove(token)
        return (path, token)
    }

    /// The round `token`'s backoff is over: the children still waiting for it, in start order.
    mutating func roundDue(_ token: UInt64) -> [ChildID] {
        guard pendingRounds.remove(token) != nil else { return [] }
        return children(waitingFor: token)
    }

    /// The children waiting for the restart round `token`, in start order.
    func children(waitingFor token: UInt64) -> [ChildID] {
        records.ordered.compactMap { record in
            guard case .backingOff = record.state, record.restartToken == token else { return nil }
            return record.id
        }
    }

    /// The template named `name`.
    func template(named name: String) throws(SupervisorError) -> WorkerTemplate {
        guard let template = templates.first(where: { $0.name == name }) else {
            let known = templates.map(\.name).joined(separator: ", ")
            throw SupervisorError(.unknownTemplate, "supervisor '\(path)' has no template '\(name)' (has: \(known.isEmpty ? "none" : known))")
        }
        return template
    }

    /// The first free id of the form `name-n`, n counting from 1.
    func freeID(for name: String) -> ChildID {
        var number = 1
        while records["\(name)-\(number)"] != nil { number += 1 }
        return "\(name)-\(number)"
    }

    /// Enters `stopping`: cancels pending restarts (backing-off children become stopped) and
    /// returns the children to stop, in reverse start order, those whose restart it cancelled,
    /// and the rounds whose timers the runtime must cancel.
    mutating func beginShutdown() -> (stop: [ChildID], cancelled: [ChildPath], rounds: Set<UInt64>) {
        phase = .stopping
        let rounds = pendingRounds
        pendingRounds.removeAll()
        var cancelled: [ChildPath] = []
        for position in 0..<records.count {
            records.modify(at: position) { record in
                if case .backingOff = record.state, record.apply(.restartCancelled) { cancelled.append(record.path) }
            }
        }
        return (activeChildrenReversed, cancelled, rounds)
    }

    /// Counts of the direct children.
    var counts: ChildCounts {
        var counts = ChildCounts(specs: records.count, active: 0, supervisors: 0, workers: 0)
        for position in records.ordered.indices {
            let record = records.ordered[position]
            if record.state.isActive { counts.active += 1 }
            if record.spec.type == .supervisor { counts.supervisors += 1 } else { counts.workers += 1 }
        }
        return counts
    }
}
