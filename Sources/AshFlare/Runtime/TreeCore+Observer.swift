extension TreeCore {
    /// The whole tree, taken under the tree lock.
    func snapshot() -> TreeSnapshot {
        var processes: [ChildPath: any StopEnforcer] = [:]
        var snapshot = state.withLock { makeSnapshot(of: $0, processes: &processes) }
        Self.sample(processes, into: &snapshot)
        return snapshot
    }

    /// A snapshot and a subscription to exactly the events after it.
    func observe(bufferSize: Int? = nil) -> (TreeSnapshot, SupervisorEvents) {
        let buffer = EventBuffer(capacity: bufferSize ?? eventBufferSize)
        // Not withState: nothing is emitted here, and the hub's pending events were handed
        // over when the previous holder released the lock.
        var processes: [ChildPath: any StopEnforcer] = [:]
        let (taken, subscribed) = state.withLock { state -> (TreeSnapshot, Bool) in
            let snapshot = makeSnapshot(of: state, processes: &processes)
            let treeEnded = state.rootRecord.nested == nil && state.isClosed
            if !treeEnded { state.hub.subscribe(buffer) }
            return (snapshot, !treeEnded)
        }
        if !subscribed { buffer.finish() }
        var snapshot = taken
        Self.sample(processes, into: &snapshot)
        return (snapshot, SupervisorEvents(EventSubscription(buffer), firstSequence: snapshot.sequence + 1))
    }

    private func makeSnapshot(of state: TreeState, processes: inout [ChildPath: any StopEnforcer]) -> TreeSnapshot {
        let now = clock.now()
        return TreeSnapshot(
            sequence: state.hub.sequence, time: now, root: node(state.rootRecord, in: state, now: now, processes: &processes))
    }

    /// Fills in the figures of the process children found under the lock, outside it.
    private static func sample(_ processes: [ChildPath: any StopEnforcer], into snapshot: inout TreeSnapshot) {
        guard !processes.isEmpty else { return }
        func fill(_ node: inout NodeSnapshot) {
            if let source = processes[node.path] { node.process = source.processDetails() }
            for index in node.children.indices { fill(&node.children[index]) }
        }
        fill(&snapshot.root)
    }

    /// Builds the node of `record` and its subtree. Records and supervisor states are read in
    /// place (`values[index]`), never copied out of their dictionaries.
    private func node(
        _ record: ChildRecord, in state: TreeState, now: Duration, processes: inout [ChildPath: any StopEnforcer]
    ) -> NodeSnapshot {
        var details: SupervisorDetails?
        var children: [NodeSnapshot] = []
        if case .supervisor = record.spec.kind {
            if let nested = record.nested, let index = state.supervisors.index(forKey: nested.key) {
                (details, children) = contents(of: state.supervisors.values[index], in: state, now: now, processes: &processes)
            } else if record.path.parent == nil, let postMortem = state.postMortem {
                (details, children) = postMortem
            } else {
                details = record.addedNode.supervisor
            }
        }
        if record.state.isActive, let enforcer = record.execution?.enforcer { processes[record.path] = enforcer }
        return NodeSnapshot(
            id: record.id, path: record.path, type: record.spec.type, state: record.state,
            restartPolicy: record.spec.restart, shutdown: record.spec.shutdown, backoff: record.spec.backoff,
            incarnation: record.incarnation, restartCount: record.restartCount, lastExit: record.lastExit,
            lastExitAt: record.lastExitAt, startedAt: record.startedAt, supervisor: details, children: children,
            execution: record.executionID)
    }

    /// A running supervisor's details and child nodes.
    func contents(of supervisor: SupervisorState, in state: TreeState, now: Duration) -> (SupervisorDetails, [NodeSnapshot]) {
        var ignored: [ChildPath: any StopEnforcer] = [:]
        return contents(of: supervisor, in: state, now: now, processes: &ignored)
    }

    /// A running supervisor's details and child nodes; collects its process children into `processes`.
    private func contents(
        of supervisor: SupervisorState, in state: TreeState, now: Duration, processes: inout [ChildPath: any StopEnforcer]
    ) -> (SupervisorDetails, [NodeSnapshot]) {
        let details = SupervisorDetails(
            strategy: supervisor.strategy, intensity: supervisor.intensity,
            recentRestarts: supervisor.window.restarts(at: now), templates: supervisor.templates.map(\.info),
            context: supervisor.ownsStore ? supervisor.store?.values : nil)
        var children: [NodeSnapshot] = []
        children.reserveCapacity(supervisor.records.count)
        for position in supervisor.records.ordered.indices {
            children.append(node(supervisor.records.ordered[position], in: state, now: now, processes: &processes))
        }
        return (details, children)
    }

    /// The direct children of the supervisor at `path`.
    func whichChildren(of path: ChildPath) throws(SupervisorError) -> [ChildInfo] {
        try withState { state throws(SupervisorError) in
            let runtime = try state.supervisor(at: path)
            guard let supervisor = state.supervisors[runtime.key] else { throw .notFound(path) }
            return supervisor.records.ordered.map { record in
                ChildInfo(
                    id: record.id, path: record.path, type: record.spec.type, restartPolicy: record.spec.restart,
                    state: record.state, incarnation: record.incarnation, execution: record.executionID)
            }
        }
    }

    /// Counts of the direct children of the supervisor at `path`.
    func countChildren(of path: ChildPath) throws(SupervisorError) -> ChildCounts {
        try withState { state throws(SupervisorError) in
            let runtime = try state.supervisor(at: path)
            guard let supervisor = state.supervisors[runtime.key] else { throw .notFound(path) }
            return supervisor.counts
        }
    }
}

extension ChildRecord {
    /// The node of a child that was just added (never started), as a snapshot shows it: what a
    /// `childAdded` event carries.
    var addedNode: NodeSnapshot {
        var details: SupervisorDetails?
        if case .supervisor(let spec) = spec.kind {
            details = SupervisorDetails(
                strategy: spec.strategy, intensity: spec.intensity, recentRestarts: [], templates: spec.templates.map(\.info),
                context: spec.context?.values)
        }
        return NodeSnapshot(
            id: id, path: path, type: spec.type, state: state, restartPolicy: spec.restart, shutdown: spec.shutdown,
            backoff: spec.backoff, incarnation: incarnation, restartCount: restartCount, lastExit: lastExit,
            lastExitAt: lastExitAt, startedAt: startedAt, supervisor: details, children: [], execution: executionID)
    }
}
