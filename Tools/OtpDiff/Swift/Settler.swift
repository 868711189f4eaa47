import AshFlare
import AshFlareTestKit

/// Waits until an AshFlare tree is at rest after a step, without sleeping.
///
/// At rest means, all in one round: every node under a running supervisor is running, stopped,
/// failed or abandoned; every event up to the snapshot has been collected, among them the
/// `childExited` of the incarnation the step told to exit (if any); every
/// running supervisor has answered a message sent through its mailbox (so nothing it was sent
/// before is still unhandled, and it is not dying); and the snapshot did not change during
/// the round.
struct Settler {
    /// The tree gave no rest within the limit (a hang: reported as the step's result).
    struct NeverSettled: Error {}

    let tree: SupervisorHandle
    let events: EventLog
    /// How long to wait before calling it a hang (wall clock; generous for a loaded machine).
    var limit: Duration = .seconds(60)

    /// Returns the tree's view once it is at rest.
    /// - Parameters:
    ///   - stepStart: The sequence number before the step began.
    ///   - awaitedExit: The worker incarnation the step told to exit, whose exit must be handled.
    func settle(stepStart: UInt64, awaitedExit: (path: String, incarnation: UInt64)? = nil) async throws -> TreeView {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let view = await restingView(stepStart: stepStart, awaitedExit: awaitedExit) { return view }
            await Task.yield()
        }
        throw NeverSettled()
    }

    private func restingView(stepStart: UInt64, awaitedExit: (path: String, incarnation: UInt64)?) async -> TreeView? {
        let before = tree.snapshot()
        let view = TreeView(before)
        let (seen, complete) = events.events(after: stepStart, upTo: before.sequence)
        guard view.isAtRest, complete else { return nil }
        if before.root.state != .running { return view }
        if let awaitedExit, !seen.contains(where: { Self.isExit($0, of: awaitedExit) }) { return nil }
        for supervisor in view.supervisors {
            guard await answersThroughMailbox(supervisor) else { return nil }
        }
        // The whole snapshot, not only its sequence: some changes have no event yet (issue 13,
        // defect 3; e.g. a restarted child's state becomes `starting` silently).
        return tree.snapshot() == before ? view : nil
    }

    /// Sends a child spec that fails validation: the supervisor answers `invalidSpec` after every
    /// message queued before it, and changes nothing.
    private func answersThroughMailbox(_ supervisor: ChildPath) async -> Bool {
        do {
            try await tree.startChild(Self.probe, under: supervisor)
            return false
        } catch let error as SupervisorError {
            return error.code == .invalidSpec
        } catch {
            return false
        }
    }

    private static let probe = ChildSpec.worker("", restart: .temporary, backoff: .none) { IdleWorker() }

    private static func isExit(_ event: SupervisorEvent, of exit: (path: String, incarnation: UInt64)) -> Bool {
        if case .childExited(let path, let incarnation, _) = event.kind {
            return path.description == exit.path && incarnation == exit.incarnation
        }
        return false
    }
}
