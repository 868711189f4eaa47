extension TreeCore {
    /// The whole tree, taken under the tree lock.
    func snapshot() -> TreeSnapshot {
        state.withLock { makeSnapshot(of: $0) }
    }

    /// A snapshot and a subscription to exactly the events after it.
    func observe(bufferSize: Int? = nil) -> (TreeSnapshot, SupervisorEvents) {
        let buffer = EventBuffer(capacity: bufferSize ?? eventBufferSize)
        // Not withState: nothing is emitted here, and the hub's pending events were handed
        // over when the previous holder released the lock.
        let (snapshot, subscribed) = state.withLock { state -> (TreeSnapshot, Bool) in
            let snapshot = makeSnapshot(of: state)
            let treeEnded = state.rootRecord.nested == nil && state.isClosed
            if !treeEnded { state.hub.subscribe(buffer) }
            return (snapshot, !treeEnded)
        }
        if !subscribed { buffer.finish() }
        return (snapshot, SupervisorEvents(EventSubscription(buffer), firstSequence: snapshot.sequence + 1))
    }

    private func makeSnapshot(of state: TreeState) -> TreeSnapshot {
        let now = clock.now()
        return TreeSnapshot(sequence: state.hub.sequence, time: now, root: node(state.rootRecord, in: state, now: now))
    }

    /// Builds the node of `record` and its subtree. Records and supervisor states are read in
    /// place (`values[index]`), never copied out of their dictionaries.
    private func node(_ record: ChildRecord, in state: TreeState, now: Duration) -> NodeSnapshot {
        var details: SupervisorDetails?
        var children: [NodeSnapshot] = []
        if case .supervisor(let spec) = record.spec.kind {
            if let nested = record.nested, let index = state.supervisors.index(forKey: nested.key) {
                (details, children) = contents(of: state.supervisors.values[index], in: state, now: now)
            } else if record.path.parent == nil, let postMortem = state.postMortem {
                (details, children) = postMortem
            } else {
                details = SupervisorDetails(
                    strategy: spec.strategy, intensity: spec.intensity, recentRestarts: [], templates: spec.templates.map(\.info),
                    context: spec.context?.values)
            }
        }
        return NodeSnapshot(
            id: record.id, path: record.path, type: record.spec.type, state: record.state,
            restartPolicy: record.spec.restart, shutdown: record.spec.shutdown, backoff: record.spec.backoff,
            incarnation: record.incarnation, restartCount: record.restartCount, lastExit: record.lastExit,
            lastExitAt: record.lastExitAt, startedAt: record.startedAt, supervisor: details, children: children,
            execution: record.executionID)
    }

    /// A running supervisor's details and child nodes.
    func contents(
        of supervisor: SupervisorState, in state: TreeState, now: Duration
    ) -> (SupervisorDetails, [NodeSnapshot]) {
        let details = SupervisorDetails(
            strategy: supervisor.strategy, intensity: supervisor.intensity,
            recentRestarts: supervisor.window.restarts(at: now), templates: supervisor.templates.map(\.info),
            context: supervisor.ownsStore ? supervisor.store?.values : nil)
        var children: [NodeSnapshot] = []
        children.reserveCapacity(supervisor.records.count)
        for position in supervisor.records.ordered.indices {
            children.append(node(supervisor.records.ordered[position], in: state, now: now))
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
