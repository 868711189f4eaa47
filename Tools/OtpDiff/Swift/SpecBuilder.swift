import AshFlare

/// Turns a scenario's JSON nodes into AshFlare specs: backoff `.none`, OTP's shutdown defaults
/// (5 s for workers, infinity for supervisors), every worker a ``DiffWorker`` on the board.
struct SpecBuilder {
    let board: WorkerBoard
    /// Every supervisor's intensity period.
    let period: Duration

    /// The supervisor spec of `node`.
    func supervisor(_ node: Scenario.Node) -> SupervisorSpec {
        let strategy: RestartStrategy = switch node.strategy {
        case "one_for_all": .oneForAll
        case "rest_for_one": .restForOne
        default: .oneForOne
        }
        return SupervisorSpec(
            node.id, strategy: strategy, intensity: RestartIntensity(maxRestarts: node.intensity ?? 0, within: period),
            children: (node.children ?? []).map(child))
    }

    /// The child spec of `node`.
    func child(_ node: Scenario.Node) -> ChildSpec {
        let restart: RestartPolicy = switch node.restart {
        case "transient": .transient
        case "temporary": .temporary
        default: .permanent
        }
        if node.type == "supervisor" {
            return .supervisor(supervisor(node), restart: restart, shutdown: .infinity, backoff: .none)
        }
        return .worker(node.id, restart: restart, shutdown: .workerDefault, backoff: .none) { [board] context in
            DiffWorker(board: board, context: context)
        }
    }
}
