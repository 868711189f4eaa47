import AshFlare

extension TreeModel {
    /// Applies one event. Events at or before ``sequence`` (already in the snapshot) are skipped;
    /// a gap in the numbering or a `lagged` event sets ``needsResync``.
    public mutating func apply(_ event: SupervisorEvent) {
        guard loaded, event.sequence > sequence else { return }
        if case .lagged = event.kind {
            needsResync = true
            sequence = event.sequence
            return
        }
        if event.sequence != sequence + 1 { needsResync = true }
        sequence = event.sequence
        noteTime(event.time)
        let now = event.time
        switch event.kind {
        case .childStarted(let path, let incarnation):
            guard let slot = slot(for: path) else { return }
            if nodes[slot].incarnation != incarnation || nodes[slot].startedAt == nil || !nodes[slot].state.isActive {
                nodes[slot].startedAt = now
            }
            setState(slot, .running)
            nodes[slot].incarnation = incarnation
            if let execution = event.execution { nodes[slot].execution = execution }
            nodes[slot].pendingRestart = nil

        case .childExited(let path, let incarnation, let reason):
            guard let slot = slot(for: path) else { return }
            nodes[slot].incarnation = incarnation
            if let execution = event.execution { nodes[slot].execution = execution }
            nodes[slot].lastExit = reason
            nodes[slot].lastExitAt = now
            nodes[slot].process = nil
            if reason.isStopBySupervisor, let due = nodes[slot].pendingRestart {
                // Stopped as part of a restart round that was already announced.
                setState(slot, due > now ? .backingOff(until: due) : .starting)
            } else {
                nodes[slot].pendingRestart = nil
                let after: ChildState = switch reason {
                case .escalated: .failed
                case .abandoned: .abandoned
                default: .stopped
                }
                setState(slot, after)
            }
            Self.appendExit(&nodes[slot], ExitRecord(incarnation: incarnation, reason: reason, at: now))
            if nodes[slot].type == .supervisor {
                removeDescendants(of: slot)
                nodes[slot].supervisor?.recentRestarts = []
            }

        case .restartScheduled(let path, let delay):
            guard let slot = slot(for: path) else { return }
            nodes[slot].restartCount += 1
            let due = now + delay
            nodes[slot].pendingRestart = due
            if !nodes[slot].state.isActive {
                setState(slot, delay > .zero ? .backingOff(until: due) : .starting)
            }
            restarts.append(RestartMark(time: now, path: path))

        case .intensityChanged(let path, let count, _):
            guard let slot = slot(for: path), nodes[slot].supervisor != nil else { return }
            var window = nodes[slot].supervisor!.recentRestarts
            window.append(now)
            if window.count > count { window.removeFirst(window.count - count) }
            nodes[slot].supervisor!.recentRestarts = window

        case .shutdownBegan(let path):
            // No child restarts any more; those waiting out a backoff get `restartCancelled`.
            guard let slot = slot(for: path) else { return }
            for child in nodes[slot].children { nodes[child].pendingRestart = nil }

        case .restartCancelled(let path):
            guard let slot = slot(for: path) else { return }
            setState(slot, .stopped)
            nodes[slot].pendingRestart = nil

        case .childAdded(let path):
            guard index(of: path) == nil else { return }
            // The event carries the node (servers before it did not: then re-read).
            guard let added = event.node, let parent = path.parent.flatMap({ index(of: $0) }) else {
                needsResync = true
                return
            }
            insert(added, under: parent)

        case .childRemoved(let path):
            if let slot = index(of: path) { removeSubtree(slot) }

        case .shutdownFinished(let path):
            // Its children have stopped and are gone (an escalating supervisor's window starts
            // over), as a snapshot taken now shows, before the supervisor's own exit arrives.
            guard let slot = slot(for: path), nodes[slot].type == .supervisor else { return }
            removeDescendants(of: slot)
            nodes[slot].supervisor?.recentRestarts = []

        case .escalated, .abandoned:
            break

        case .lagged:
            needsResync = true
        }
    }

    /// The slot of the live node at `path`; an unknown path means the model missed a change.
    private mutating func slot(for path: ChildPath) -> Int? {
        if let slot = index(of: path) { return slot }
        needsResync = true
        return nil
    }

    /// The model as a snapshot root, with the intensity windows as seen at `time` (for checks
    /// that the model follows the tree).
    public func snapshotRoot(at time: Duration) -> NodeSnapshot? {
        guard let rootIndex else { return nil }
        func build(_ slot: Int) -> NodeSnapshot {
            let node = nodes[slot]
            var details = node.supervisor
            if let current = details {
                details?.recentRestarts = current.recentRestarts.filter { current.intensity.window(contains: $0, at: time) }
            }
            return NodeSnapshot(
                id: node.id, path: node.path, type: node.type, state: node.state, restartPolicy: node.restartPolicy,
                shutdown: node.shutdown, backoff: node.backoff, incarnation: node.incarnation,
                restartCount: node.restartCount, lastExit: node.lastExit, lastExitAt: node.lastExitAt,
                startedAt: node.startedAt, supervisor: details, children: node.children.map(build),
                execution: node.execution)
        }
        return build(rootIndex)
    }

    /// Restarts inside the intensity window of the supervisor at `slot`, as of `now`.
    public func windowCount(_ slot: Int, at now: Duration) -> Int {
        guard let details = nodes[slot].supervisor else { return 0 }
        var count = 0
        for instant in details.recentRestarts where details.intensity.window(contains: instant, at: now) { count += 1 }
        return count
    }
}
