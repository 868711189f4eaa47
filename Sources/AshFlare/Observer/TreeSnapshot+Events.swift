extension TreeSnapshot {
    /// Moves the snapshot forward by one event: a snapshot taken at sequence N with every
    /// event after N applied equals a snapshot taken later, field for field, except:
    /// - `starting` and `stopping` are passing states with no event of their own: a node keeps
    ///   its previous state until its `childStarted` or `childExited`;
    /// - a supervisor's `recentRestarts` keep every restart its `intensityChanged` events
    ///   counted; pass them through ``RestartIntensity/window(contains:at:)`` at the time you
    ///   compare (ageing out of the window is derived, not announced);
    /// - context store values and process figures (pid, CPU, RSS) are sampled, not evented.
    ///
    /// It is how a client follows a tree with one snapshot and the event stream (a remote
    /// dashboard, a replay). The `lagged` event cannot be applied: take a new snapshot.
    public mutating func apply(_ event: SupervisorEvent) {
        sequence = event.sequence
        time = event.time
        switch event.kind {
        case .childAdded(let path):
            guard let added = event.node, let parent = path.parent else { return }
            modifyNode(at: parent) { supervisor in
                if let index = supervisor.children.firstIndex(where: { $0.id == path.id }) {
                    supervisor.children[index] = added
                } else {
                    supervisor.children.append(added)
                }
            }
        case .childRemoved(let path):
            guard let parent = path.parent else { return }
            modifyNode(at: parent) { supervisor in supervisor.children.removeAll { $0.id == path.id } }
        case .childStarted(let path, let incarnation):
            modifyNode(at: path) { node in
                node.state = .running
                node.incarnation = incarnation
                if let execution = event.execution { node.execution = execution }
                node.startedAt = event.time
            }
        case .childExited(let path, let incarnation, let reason):
            modifyNode(at: path) { node in
                node.state = ChildState(after: reason)
                node.incarnation = incarnation
                if let execution = event.execution { node.execution = execution }
                node.lastExit = reason
                node.lastExitAt = event.time
                // A stopped supervisor has no children and a fresh window; the root keeps its
                // children as they ended (the post-mortem).
                if node.type == .supervisor, path.parent != nil {
                    node.children = []
                    node.supervisor?.recentRestarts = []
                }
            }
        case .restartScheduled(let path, let delay):
            modifyNode(at: path) { node in
                node.restartCount += 1
                if delay > .zero { node.state = .backingOff(until: event.time + delay) }
            }
        case .restartCancelled(let path):
            modifyNode(at: path) { node in node.state = .stopped }
        case .intensityChanged(let path, let restarts, _):
            modifyNode(at: path) { node in
                guard var details = node.supervisor else { return }
                details.recentRestarts.append(event.time)
                // The window holds exactly `restarts` instants right after one is recorded.
                if details.recentRestarts.count > restarts { details.recentRestarts.removeFirst(details.recentRestarts.count - restarts) }
                node.supervisor = details
            }
        case .escalated, .abandoned, .shutdownBegan, .shutdownFinished, .lagged:
            break
        }
    }

    /// Whether no node is starting or stopping: the passing states without events of their own,
    /// so a snapshot rebuilt from events equals a quiet one in ``evented``.
    public var isQuiet: Bool {
        allNodes.allSatisfy { $0.state != .starting && $0.state != .stopping }
    }

    /// The snapshot reduced to what events promise (``apply(_:)``): each supervisor's
    /// `recentRestarts` as its window holds them at ``time``, without context values and process
    /// figures. A snapshot rebuilt from events and one taken at the same sequence compare equal
    /// in this form when the tree is quiet.
    public var evented: TreeSnapshot {
        func reduce(_ node: NodeSnapshot) -> NodeSnapshot {
            var node = node
            if var details = node.supervisor {
                details.recentRestarts = details.recentRestarts.filter { details.intensity.window(contains: $0, at: time) }
                details.context = nil
                node.supervisor = details
            }
            node.process = nil
            node.children = node.children.map(reduce)
            return node
        }
        return TreeSnapshot(sequence: sequence, time: time, root: reduce(root))
    }

    /// The snapshot with `events` applied in order (``apply(_:)``).
    public func applying(_ events: some Sequence<SupervisorEvent>) -> TreeSnapshot {
        var snapshot = self
        for event in events { snapshot.apply(event) }
        return snapshot
    }

    /// Runs `body` on the node at `path` in place; nothing if there is none.
    private mutating func modifyNode(at path: ChildPath, _ body: (inout NodeSnapshot) -> Void) {
        guard path.components.first == root.id else { return }
        Self.modify(&root, below: path.components.dropFirst(), body)
    }

    private static func modify(_ node: inout NodeSnapshot, below rest: ArraySlice<ChildID>, _ body: (inout NodeSnapshot) -> Void) {
        guard let next = rest.first else { return body(&node) }
        guard let index = node.children.firstIndex(where: { $0.id == next }) else { return }
        modify(&node.children[index], below: rest.dropFirst(), body)
    }
}
