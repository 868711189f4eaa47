import AshFlare
import AshFlareTestKit
import Testing

/// A tree under test: the handle, its manual clock, and an event iterator opened before start.
struct TreeUnderTest {
    let tree: SupervisorHandle
    let clock: ManualClock
    var events: SupervisorEvents.Iterator

    /// Starts `spec` on a manual clock and subscribes to its events from the first one.
    static func start(_ spec: SupervisorSpec, clock: ManualClock = ManualClock()) async throws -> TreeUnderTest {
        let tree = try await SupervisorHandle.start(spec, clock: clock)
        return TreeUnderTest(tree: tree, clock: clock, events: tree.events().makeAsyncIterator())
    }

    /// Adds a temporary idle child under `supervisor` and returns once the supervisor has
    /// processed everything queued before it: the events up to its `childStarted` are complete.
    mutating func barrier(under supervisor: ChildPath = "root", id: ChildID = "barrier") async throws -> [SupervisorEvent.Kind] {
        try await tree.startChild(.worker(id, restart: .temporary, backoff: .none) { IdleWorker() }, under: supervisor)
        let kinds = await events.kinds(through: { $0.isStarted(supervisor.appending(id)) })
        return kinds.filter { $0.path != supervisor.appending(id) }
    }

    func states(of supervisor: ChildPath = "root") throws -> [ChildID: ChildState] {
        Dictionary(uniqueKeysWithValues: try tree.whichChildren(of: supervisor).map { ($0.id, $0.state) })
    }

    func incarnations(of supervisor: ChildPath = "root") throws -> [ChildID: UInt64] {
        Dictionary(uniqueKeysWithValues: try tree.whichChildren(of: supervisor).map { ($0.id, $0.incarnation) })
    }
}

/// Scripts for a set of children, by id.
struct Scripts {
    private var scripts: [ChildID: WorkerScript] = [:]

    init(_ ids: [ChildID], ignoresCancellation: Bool = false) {
        for id in ids { scripts[id] = WorkerScript(ignoresCancellation: ignoresCancellation) }
    }

    subscript(_ id: ChildID) -> WorkerScript { scripts[id]! }

    /// A worker spec for `id` driven by its script, restarting at once unless told otherwise.
    func child(_ id: ChildID, restart: RestartPolicy = .permanent, shutdown: ShutdownPolicy = .workerDefault,
               backoff: Backoff = .none) -> ChildSpec {
        let script = self[id]
        return .worker(id, restart: restart, shutdown: shutdown, backoff: backoff) { script.makeWorker() }
    }
}

/// How a test ends a child's incarnation.
enum ExitKind: String, CaseIterable, Sendable {
    case normal, error, kill

    func trigger(_ path: ChildPath, script: WorkerScript, tree: SupervisorHandle) async throws {
        switch self {
        case .normal: script.exitNormally()
        case .error: script.crash("boom")
        case .kill: try await tree.kill(path)
        }
    }

    var reason: ChildExitReason {
        switch self {
        case .normal: .normal
        case .error: .error("boom")
        case .kill: .killed
        }
    }
}

/// Expects `body` to throw a ``SupervisorError`` with `code`.
func expectSupervisorError(
    _ code: SupervisorError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as SupervisorError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
