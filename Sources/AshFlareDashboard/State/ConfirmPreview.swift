import AshFlare

extension DashboardState {
    /// What the engine's planner says `request` would do to the tree as the dashboard shows it
    /// (``TreeSnapshot/blastRadius(of:at:)`` on the model's snapshot): the one line a confirm
    /// prompt shows, or the refusal; nil for an operation without a preview (adding a child,
    /// stopping the whole tree).
    ///
    /// Never re-derived here: the dashboard turns its model into a snapshot and asks the engine's
    /// pure rules, the same functions that decide when the operation runs.
    public func blastRadius(for request: ControlRequest) -> Result<BlastRadius, SupervisorError>? {
        let operation: ChildOperation
        switch request.action {
        case .kill: operation = .kill
        case .terminate, .bounce: operation = .terminate
        case .shutdown where request.target.parent != nil: operation = .terminate
        case .restart: operation = .restart
        case .delete: operation = .delete
        case .shutdown, .startChild: return nil
        }
        let trees = visibleNodes
        guard trees.indices.contains(request.node), let root = trees[request.node].model.snapshotRoot(at: trees[request.node].treeTime(atWall: visibleWall))
        else { return nil }
        let tree = trees[request.node]
        let snapshot = TreeSnapshot(sequence: tree.model.sequence, time: tree.treeTime(atWall: visibleWall), root: root)
        do {
            return .success(try snapshot.blastRadius(of: operation, at: request.target))
        } catch {
            return .failure(error)
        }
    }

    /// The preview line for `request`: the planner's summary (`… → shop/db (rest-for-one)
    /// restarts pool, query-cache; restarts 3/3: the last one before it gives up`), or why the
    /// engine would refuse it.
    func previewLine(for request: ControlRequest) -> ConfirmPreview? {
        switch blastRadius(for: request) {
        case .success(let radius)?:
            var text = radius.summary
            if request.action == .bounce { text += "; then it starts again" }
            let severe = radius.reactions.contains { if case .giveUp = $0.action { true } else { $0.restarts == $0.maxRestarts } }
            return ConfirmPreview(text: text, severe: severe || radius.outcome == .treeFails)
        case .failure(let error)?:
            return ConfirmPreview(text: "the engine would refuse it: \(error.message)", severe: true)
        case nil:
            return nil
        }
    }

    /// Computes the previews of the open confirm prompt (once, when it opens), or clears them.
    mutating func refreshConfirmPreviews() {
        switch overlay {
        case .confirm(let request):
            if confirmPreviews.request != [request] { confirmPreviews = ([request], [previewLine(for: request)]) }
        case .confirmBulk(let requests, _):
            if confirmPreviews.request != requests { confirmPreviews = (requests, requests.map { previewLine(for: $0) }) }
        default:
            if !confirmPreviews.request.isEmpty { confirmPreviews = ([], []) }
        }
    }
}

/// The blast-radius line of a confirm prompt.
public struct ConfirmPreview: Hashable, Sendable {
    /// The planner's summary, or the refusal.
    public var text: String
    /// Whether it ends in a supervisor giving up (or the last restart before that), the tree
    /// stopping, or a refusal: drawn as a warning.
    public var severe: Bool
}
