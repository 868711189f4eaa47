/// The pure state of one supervisor incarnation: its children in start order, its restart
/// window, and the OTP restart rules. Holds no tasks' behaviour; ``SupervisorRuntime`` executes
/// what it decides.
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
    private(set) var order: [ChildID]
    var records: [ChildID: ChildRecord]
    private var nextToken: UInt64 = 0
    /// Backoff timers by restart token.
    var timers: [UInt64: Task<Void, Never>] = [:]

    init(path: ChildPath, spec: SupervisorSpec, inheritedStore: WorkerContext? = nil) {
        self.path = path
        self.strategy = spec.strategy
        self.templates = spec.templates
        self.store = spec.context ?? inheritedStore
        self.ownsStore = spec.context != nil
        self.window = IntensityWindow(spec.intensity)
        self.order = spec.children.map(\.id)
        var records = [ChildID: ChildRecord](minimumCapacity: spec.children.count)
        for child in spec.children { records[child.id] = ChildRecord(spec: child, path: path.appending(child.id)) }
        self.records = records
    }

    var intensity: RestartIntensity { window.intensity }

    /// Appends a child spec; throws if the id is taken.
    mutating func insert(_ spec: ChildSpec) throws(SupervisorError) {
        guard records[spec.id] == nil else {
            throw SupervisorError(.childAlreadyExists, "'\(path.appending(spec.id))' already exists")
        }
        order.append(spec.id)
        records[spec.id] = ChildRecord(spec: spec, path: path.appending(spec.id))
    }

    /// Removes a child spec.
    mutating func remove(_ id: ChildID) {
        guard records.removeValue(forKey: id) != nil else { return }
        if let index = order.lastIndex(of: id) { order.remove(at: index) }
    }

    /// Children ids in start order.
    var childIDs: [ChildID] { order }

    /// The ids of children with a live incarnation, in reverse start order.
    var activeChildrenReversed: [ChildID] {
        order.reversed().filter { records[$0]?.state.isActive == true }
    }

    /// Applies OTP's rules to an exit and returns what to do.
    ///
    /// Records the exit on the child. `random` (in `0..<1`) feeds the backoff jitter.
    mutating func exitPlan(
        for id: ChildID, incarnation: UInt64, reason: ChildExitReason, now: Duration, random: Double
    ) -> ExitPlan {
        guard phase == .running || phase == .starting,
              var record = records[id], record.incarnation == incarnation,
              record.state.isActive
        else { return .ignore }

        if let startedAt = record.startedAt, now - startedAt >= record.spec.backoff.resetAfter {
            record.backoffAttempt = 0
        }
        record.lastExit = reason
        record.lastExitAt = now
        record.execution = nil
        record.nested = nil
        record.state = switch reason {
        case .escalated: .failed
        case .abandoned: .abandoned
        default: .stopped
        }
        records[id] = record

        switch record.spec.restart {
        case .temporary:
            remove(id)
            return .settled
        case .transient where !reason.isAbnormal:
            return .settled
        case .permanent, .transient:
            return restartPlan(after: id, now: now, random: random)
        }
    }

    /// Plans the strategy's restart round for `failed`, counting it against the intensity.
    mutating func restartPlan(after failed: ChildID, now: Duration, random: Double) -> ExitPlan {
        if window.recordRestart(at: now) { return .escalate }
        let scope: ArraySlice<ChildID> = switch strategy {
        case .oneForOne: [failed]
        case .oneForAll: order[...]
        case .restForOne: order[(order.firstIndex(of: failed) ?? 0)...]
        }
        var plan = RestartPlan(stop: [], drop: [], start: [], delay: .zero, deadline: now, token: nextToken)
        nextToken += 1
        for id in scope.reversed() where id != failed {
            guard let record = records[id] else { continue }
            if record.state.isActive { plan.stop.append(id) }
        }
        for id in scope {
            guard let record = records[id] else { continue }
            if record.spec.restart == .temporary && id != failed {
                plan.drop.append(id)
            } else {
                plan.start.append(id)
                records[id]!.restartCount += 1
            }
        }
        let attempt = records[failed]!.backoffAttempt
        plan.delay = records[failed]!.spec.backoff.delay(forAttempt: attempt, random: random)
        plan.deadline = now + plan.delay
        records[failed]!.backoffAttempt = attempt &+ 1
        if plan.delay > .zero { markBackingOff([failed], until: plan.deadline, token: plan.token) }
        return .restart(plan)
    }

    /// Marks the children of a planned round as waiting for their restart at `until`.
    mutating func markBackingOff(_ ids: [ChildID], until: Duration, token: UInt64) {
        for id in ids where records[id] != nil {
            records[id]!.state = .backingOff(until: until)
            records[id]!.restartToken = token
        }
    }

    /// Cancels `id`'s pending restart (it becomes stopped); the round's timer is cancelled too
    /// once no other child waits for it.
    mutating func cancelPendingRestart(of id: ChildID) {
        guard let token = records[id]?.restartToken else { return }
        records[id]!.state = .stopped
        records[id]!.restartToken = nil
        if children(waitingFor: token).isEmpty { timers.removeValue(forKey: token)?.cancel() }
    }

    /// The children waiting for the restart round `token`, in start order.
    func children(waitingFor token: UInt64) -> [ChildID] {
        order.filter {
            guard let record = records[$0], case .backingOff = record.state else { return false }
            return record.restartToken == token
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
    /// returns the children to stop, in reverse start order.
    mutating func beginShutdown() -> [ChildID] {
        phase = .stopping
        for timer in timers.values { timer.cancel() }
        timers.removeAll()
        for id in order {
            if case .backingOff = records[id]?.state {
                records[id]!.state = .stopped
                records[id]!.restartToken = nil
            }
        }
        return activeChildrenReversed
    }

    /// Counts of the direct children.
    var counts: ChildCounts {
        var counts = ChildCounts(specs: order.count, active: 0, supervisors: 0, workers: 0)
        for id in order {
            guard let record = records[id] else { continue }
            if record.state.isActive { counts.active += 1 }
            if record.spec.type == .supervisor { counts.supervisors += 1 } else { counts.workers += 1 }
        }
        return counts
    }
}
