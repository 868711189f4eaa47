/// What an operation on one node would do to the tree, worked out from a snapshot with the
/// engine's own rules (``RestartPolicy/restarts(after:)``, ``RestartRound/plan(_:failed:members:)``,
/// ``RestartIntensity/isExceeded(byRestarts:)``): the same functions that decide when it happens.
///
/// ```swift
/// let radius = try snapshot.blastRadius(of: .kill, at: "shop/db/pool")
/// print(radius.summary)
/// // kill shop/db/pool → shop/db (rest-for-one) restarts pool, query-cache; restarts 3/3:
/// // the last one before it gives up
/// ```
///
/// A preview is exact for the snapshot it was computed from; the tree may move on before the
/// operation runs (pair it with a conditional operation, ``SupervisorHandle/kill(_:ifExecution:)``).
/// Backoff delays are not part of it: they change when, not what.
public struct BlastRadius: Hashable, Sendable {
    /// What one supervisor does about one child's exit.
    public struct Reaction: Hashable, Sendable {
        /// What the supervisor does.
        public enum Action: Hashable, Sendable {
            /// A restart round: stop `stopped` (reverse start order), drop `dropped` (temporary
            /// siblings), start `restarted` in order.
            case restart(stopped: [ChildPath], dropped: [ChildPath], restarted: [ChildPath])
            /// The intensity is exceeded: stop every live child (reverse start order) and fail.
            case giveUp(stopped: [ChildPath])
        }

        /// The supervisor.
        public var supervisor: ChildPath
        /// Its strategy.
        public var strategy: RestartStrategy
        /// The child whose exit it handles.
        public var exited: ChildPath
        /// The restarts inside its window once this one is counted, and its limit.
        public var restarts: Int
        /// The most restarts it allows inside its window.
        public var maxRestarts: Int
        /// What it does.
        public var action: Action

        /// Creates a reaction.
        public init(supervisor: ChildPath, strategy: RestartStrategy, exited: ChildPath, restarts: Int, maxRestarts: Int, action: Action) {
            self.supervisor = supervisor
            self.strategy = strategy
            self.exited = exited
            self.restarts = restarts
            self.maxRestarts = maxRestarts
            self.action = action
        }
    }

    /// How the operation ends.
    public enum Outcome: Hashable, Sendable {
        /// A supervisor restarts what it must and carries on (the last reaction).
        case absorbed(by: ChildPath)
        /// The child's policy keeps it stopped (a transient child's normal exit, a transient
        /// supervisor that gave up, or a terminate); nothing is restarted.
        case staysStopped(ChildPath)
        /// A temporary child's spec is removed.
        case removed(ChildPath)
        /// The root supervisor gives up: the whole tree stops.
        case treeFails
        /// Nothing changes (a restart or delete of a stopped child, a terminate of a stopped one).
        case nothing
    }

    /// The operation previewed.
    public var operation: ChildOperation
    /// The node it targets.
    public var target: ChildPath
    /// Every node below the target that stops with it (a supervisor's subtree), depth first.
    public var stoppedWithTarget: [ChildPath]
    /// The supervisors' reactions, innermost first: more than one when a supervisor gives up
    /// and its parent handles that.
    public var reactions: [Reaction]
    /// How it ends.
    public var outcome: Outcome

    /// One line for a confirm prompt.
    public var summary: String {
        var parts: [String] = []
        if !stoppedWithTarget.isEmpty { parts.append("stops \(stoppedWithTarget.count) below it") }
        for reaction in reactions {
            let strategy = Self.name(of: reaction.strategy)
            switch reaction.action {
            case .restart(let stopped, let dropped, let restarted):
                var text = "\(reaction.supervisor) (\(strategy)) restarts \(Self.list(restarted))"
                let alsoStopped = stopped.filter { !restarted.contains($0) }
                if !alsoStopped.isEmpty { text += ", stops \(Self.list(alsoStopped))" }
                if !dropped.isEmpty { text += ", drops \(Self.list(dropped))" }
                let last = reaction.restarts == reaction.maxRestarts ? ": the last one before it gives up" : ""
                parts.append(text + "; restarts \(reaction.restarts)/\(reaction.maxRestarts)\(last)")
            case .giveUp(let stopped):
                let what = stopped.isEmpty ? "" : ", stops \(Self.list(stopped))"
                parts.append(
                    "\(reaction.supervisor) exceeds its intensity (\(reaction.restarts)/\(reaction.maxRestarts))\(what) and gives up")
            }
        }
        switch outcome {
        case .absorbed: break
        case .staysStopped(let path): parts.append("\(path) stays stopped")
        case .removed(let path): parts.append("\(path)'s spec is removed (temporary)")
        case .treeFails: parts.append("the whole tree stops")
        case .nothing: parts.append("nothing else changes")
        }
        return "\(operation.rawValue) \(target) → " + parts.joined(separator: "; ")
    }

    private static func list(_ paths: [ChildPath]) -> String {
        paths.isEmpty ? "nothing" : paths.map(\.id).joined(separator: ", ")
    }

    private static func name(of strategy: RestartStrategy) -> String {
        switch strategy {
        case .oneForOne: "one-for-one"
        case .oneForAll: "one-for-all"
        case .restForOne: "rest-for-one"
        }
    }
}

extension TreeSnapshot {
    /// What `operation` on the node at `path` would do, with the engine's rules, at the
    /// snapshot's time.
    ///
    /// - Throws: `childNotFound` for an unknown path, `rootSupervisor` for the root, and the
    ///   code of ``ChildState/refusal(of:)`` when the node's state refuses the operation.
    public func blastRadius(of operation: ChildOperation, at path: ChildPath) throws(SupervisorError) -> BlastRadius {
        guard let target = node(at: path) else { throw .notFound(path) }
        guard path.parent != nil else {
            throw SupervisorError(.rootSupervisor, "'\(path)' is the root supervisor; stop the whole tree instead")
        }
        if let refusal = target.state.refusal(of: operation) {
            throw SupervisorError(refusal, "'\(path)' is \(target.state): \(operation.rawValue) is refused")
        }
        var radius = BlastRadius(operation: operation, target: path, stoppedWithTarget: [], reactions: [], outcome: .nothing)
        switch operation {
        case .restart, .delete:
            radius.outcome = operation == .delete ? .removed(path) : .nothing
            return radius
        case .terminate:
            guard target.state.isActive || target.restartPolicy == .temporary else { return radius }
            radius.stoppedWithTarget = Self.liveDescendants(of: target)
            radius.outcome = target.restartPolicy == .temporary ? .removed(path) : .staysStopped(path)
            return radius
        case .kill:
            radius.stoppedWithTarget = Self.liveDescendants(of: target)
            var exited = target
            var reason = ChildExitReason.killed
            while true {
                guard let parentPath = exited.path.parent, let parent = node(at: parentPath), let details = parent.supervisor else {
                    radius.outcome = .treeFails
                    return radius
                }
                if exited.restartPolicy == .temporary {
                    radius.outcome = .removed(exited.path)
                    return radius
                }
                guard exited.restartPolicy.restarts(after: reason) else {
                    radius.outcome = .staysStopped(exited.path)
                    return radius
                }
                let restarts = details.recentRestarts.filter { details.intensity.window(contains: $0, at: time) }.count + 1
                var reaction = BlastRadius.Reaction(
                    supervisor: parent.path, strategy: details.strategy, exited: exited.path, restarts: restarts,
                    maxRestarts: details.intensity.maxRestarts, action: .giveUp(stopped: []))
                let children = parent.children
                if details.intensity.isExceeded(byRestarts: restarts) {
                    let live = children.filter { $0.path != exited.path && $0.state.isActive }
                    reaction.action = .giveUp(stopped: live.reversed().map(\.path))
                    radius.reactions.append(reaction)
                    if parent.path.parent == nil {
                        radius.outcome = .treeFails
                        return radius
                    }
                    exited = parent
                    reason = .escalated
                    continue
                }
                guard let failed = children.firstIndex(where: { $0.path == exited.path }) else { return radius }
                let members = children.enumerated().map { index, child in
                    RestartRound.Member(isActive: index != failed && child.state.isActive, policy: child.restartPolicy)
                }
                let round = RestartRound.plan(details.strategy, failed: failed, members: members)
                reaction.action = .restart(
                    stopped: round.stop.map { children[$0].path }, dropped: round.drop.map { children[$0].path },
                    restarted: round.start.map { children[$0].path })
                radius.reactions.append(reaction)
                radius.outcome = .absorbed(by: parent.path)
                return radius
            }
        }
    }

    private static func liveDescendants(of node: NodeSnapshot) -> [ChildPath] {
        var result: [ChildPath] = []
        func visit(_ node: NodeSnapshot) {
            for child in node.children where child.state.isActive {
                result.append(child.path)
                visit(child)
            }
        }
        visit(node)
        return result
    }
}
