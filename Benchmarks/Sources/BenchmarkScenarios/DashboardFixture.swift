import AshFlare
import AshFlareDashboard

/// Scenarios 7 and 8: the dashboard's frame for a 10k-node tree, and applying 100k events.
public enum DashboardFixture {
    /// A root with `supervisors` one-for-one supervisors of `workersEach` workers each
    /// (100 × 99 gives 10,001 nodes), as a snapshot at tree time 100 s.
    public static func snapshot(supervisors: Int = 100, workersEach: Int = 99) -> TreeSnapshot {
        func worker(_ path: ChildPath) -> NodeSnapshot {
            NodeSnapshot(
                id: path.id, path: path, type: .worker, state: .running, restartPolicy: .permanent, shutdown: .workerDefault,
                backoff: .default, incarnation: 1, restartCount: 0, lastExit: nil, lastExitAt: nil, startedAt: .zero,
                supervisor: nil, children: [])
        }
        func supervisor(_ path: ChildPath, children: [NodeSnapshot]) -> NodeSnapshot {
            NodeSnapshot(
                id: path.id, path: path, type: .supervisor, state: .running, restartPolicy: .permanent, shutdown: .infinity,
                backoff: .none, incarnation: 1, restartCount: 0, lastExit: nil, lastExitAt: nil, startedAt: .zero,
                supervisor: SupervisorDetails(strategy: .oneForOne, intensity: .default, recentRestarts: []), children: children)
        }
        let root: ChildPath = "root"
        let groups = (0..<supervisors).map { group -> NodeSnapshot in
            let path = root.appending("group-\(group)")
            return supervisor(path, children: (0..<workersEach).map { worker(path.appending("worker-\($0)")) })
        }
        return TreeSnapshot(sequence: 0, time: .seconds(100), root: supervisor(root, children: groups))
    }

    /// A dashboard state showing `snapshot` on a 160 × 48 terminal, a node deep in the tree selected.
    public static func state(_ snapshot: TreeSnapshot = snapshot()) -> DashboardState {
        var state = DashboardState(names: ["bench"])
        state.resize(width: 160, height: 48)
        state.apply(.snapshot(node: 0, snapshot))
        for _ in 0..<5_000 { Reducer.reduce(&state, .down) }
        return state
    }

    /// The 10k-node fixture with the logs pane open (following) on its last worker, and that worker's path.
    public static func logsState() -> (DashboardState, ChildPath) {
        var state = state()
        Reducer.reduce(&state, .end)
        Reducer.reduce(&state, .character("l"))
        return (state, state.logsPane!.path)
    }

    /// `count` events after `snapshot`: crash → intensity → restart → started, cycling over the workers.
    public static func events(_ count: Int, after snapshot: TreeSnapshot) -> [SupervisorEvent] {
        var workers: [(path: ChildPath, parent: ChildPath)] = []
        for group in snapshot.root.children {
            for worker in group.children { workers.append((worker.path, group.path)) }
        }
        var incarnations = [UInt64](repeating: 1, count: workers.count)
        var events: [SupervisorEvent] = []
        events.reserveCapacity(count)
        var sequence = snapshot.sequence
        var time = snapshot.time
        var next = 0
        while events.count < count {
            let index = next % workers.count
            next += 1
            let (path, parent) = workers[index]
            time += .milliseconds(1)
            let kinds: [SupervisorEvent.Kind] = [
                .childExited(path: path, incarnation: incarnations[index], reason: .error("boom")),
                .intensityChanged(supervisor: parent, restarts: 1, maxRestarts: 3),
                .restartScheduled(path: path, delay: .zero),
                .childStarted(path: path, incarnation: incarnations[index] + 1),
            ]
            incarnations[index] += 1
            for kind in kinds where events.count < count {
                sequence += 1
                events.append(SupervisorEvent(sequence: sequence, time: time, kind: kind))
            }
        }
        return events
    }
}
