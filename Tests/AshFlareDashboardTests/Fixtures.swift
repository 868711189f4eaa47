import AshFlare
import AshFlareDashboard

/// Hand-built snapshots, so frames are deterministic (tree time 100 s, wall clock still).
enum Fixture {
    static func worker(
        _ path: ChildPath, state: ChildState = .running, policy: RestartPolicy = .permanent, incarnation: UInt64 = 1,
        restarts: Int = 0, lastExit: ChildExitReason? = nil, lastExitAt: Duration? = nil, startedAt: Duration? = .zero,
        backoff: Backoff = .default
    ) -> NodeSnapshot {
        NodeSnapshot(
            id: path.id, path: path, type: .worker, state: state, restartPolicy: policy, shutdown: .workerDefault,
            backoff: backoff, incarnation: incarnation, restartCount: restarts, lastExit: lastExit, lastExitAt: lastExitAt,
            startedAt: startedAt, supervisor: nil, children: [])
    }

    static func supervisor(
        _ path: ChildPath, strategy: RestartStrategy = .oneForOne, intensity: RestartIntensity = .default,
        recent: [Duration] = [], templates: [TemplateInfo] = [], state: ChildState = .running, incarnation: UInt64 = 1,
        lastExit: ChildExitReason? = nil, lastExitAt: Duration? = nil, context: [String: ContextValue]? = nil,
        children: [NodeSnapshot]
    ) -> NodeSnapshot {
        NodeSnapshot(
            id: path.id, path: path, type: .supervisor, state: state, restartPolicy: .permanent, shutdown: .infinity,
            backoff: .none, incarnation: incarnation, restartCount: 0, lastExit: lastExit, lastExitAt: lastExitAt,
            startedAt: .zero,
            supervisor: SupervisorDetails(strategy: strategy, intensity: intensity, recentRestarts: recent, templates: templates, context: context),
            children: children)
    }

    /// A small shop: gauges at 0, 2/3 (warning) and 3/3 (critical), a backing-off gateway, a
    /// stopped transient child, an abandoned worker, a failed supervisor and a wide name.
    static func shop(extraFirst: NodeSnapshot? = nil, gatewayIncarnation: UInt64 = 8, sequence: UInt64 = 500) -> TreeSnapshot {
        var children: [NodeSnapshot] = []
        if let extraFirst { children.append(extraFirst) }
        children += [
            supervisor("shop/acceptors", intensity: RestartIntensity(maxRestarts: 5, within: .seconds(10)),
                       templates: [TemplateInfo(name: "acceptor", summary: "another acceptor", parameters: []),
                                   TemplateInfo(name: "job", summary: "a job that finishes", parameters: ["seconds"])],
                       children: [
                           worker("shop/acceptors/acceptor-1"),
                           worker("shop/acceptors/acceptor-2", incarnation: 2, restarts: 1, lastExit: .killed, lastExitAt: .seconds(60),
                                  startedAt: .seconds(60)),
                       ]),
            supervisor("shop/db", strategy: .restForOne, recent: [.seconds(98), .seconds(99)], children: [
                worker("shop/db/conn-manager"),
                supervisor("shop/db/pool", recent: [.seconds(97), .seconds(98), .seconds(99)], children: [
                    worker("shop/db/pool/pool-worker-1", incarnation: 4, restarts: 3, lastExit: .error("connection refused"),
                           lastExitAt: .seconds(99), startedAt: .seconds(99)),
                ]),
            ]),
            supervisor("shop/payments", intensity: RestartIntensity(maxRestarts: 5, within: .seconds(30)), recent: [.seconds(80)], children: [
                worker("shop/payments/gateway", state: .backingOff(until: .milliseconds(101_500)), incarnation: gatewayIncarnation,
                       restarts: 7, lastExit: .error("gateway timeout"), lastExitAt: .milliseconds(99_500), startedAt: .seconds(90),
                       backoff: .exponential(initial: .milliseconds(200), maximum: .seconds(5), jitter: 0.2)),
            ]),
            supervisor("shop/reports", state: .failed, lastExit: .escalated, lastExitAt: .seconds(40), children: []),
            worker("shop/cache-loader", state: .stopped, policy: .transient, lastExit: .normal, lastExitAt: .seconds(50)),
            worker("shop/legacy-bridge", state: .abandoned, lastExit: .abandoned, lastExitAt: .seconds(70)),
            worker("shop/支付-网关"),
        ]
        let root = supervisor("shop", intensity: RestartIntensity(maxRestarts: 10, within: .seconds(30)), recent: [.seconds(90), .seconds(95)],
                              context: ["requests": .int(1234), "sessions.active": .int(21)], children: children)
        return TreeSnapshot(sequence: sequence, time: .seconds(100), root: root)
    }

    /// A dashboard state showing `snapshot` at `width` × `height`.
    static func state(
        _ snapshot: TreeSnapshot = shop(), width: Int = 120, height: Int = 36, options: DashboardOptions = DashboardOptions()
    ) -> DashboardState {
        var state = DashboardState(names: ["shop"], options: options)
        state.resize(width: width, height: height)
        state.apply(.snapshot(node: 0, snapshot))
        return state
    }

    /// Presses `keys` and returns every command they produced.
    @discardableResult
    static func press(_ state: inout DashboardState, _ keys: [Key]) -> [DashboardCommand] {
        keys.flatMap { Reducer.reduce(&state, $0) }
    }

    /// Moves the selection to `path` with `j` presses, as a user would.
    static func select(_ state: inout DashboardState, _ path: ChildPath) {
        press(&state, [.home])
        for _ in 0..<200 {
            if state.selection?.path == path { return }
            press(&state, [.character("j")])
        }
    }
}
