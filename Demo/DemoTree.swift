import AshFlare

/// The demo's tree: a small shop backend of 31 nodes, nested three levels.
///
/// - `acceptors` (one-for-one): request acceptors counting requests in the context store.
/// - `db` (rest-for-one): a connection manager, then a pool of workers, then a query cache.
/// - `cache` (one-for-all): a loader and shards, all transient.
/// - `payments` (one-for-one): a flaky `gateway` with exponential backoff, a ledger, a fraud check.
/// - `sessions`: a session store worker that keeps its numbers in the context store.
/// - `metrics-reporter` (temporary): never restarted; gone once it exits.
/// - `processes` (one-for-one): real OS processes, a `python3 -m http.server` web process and a
///   crashy script that exits with random statuses or segfaults itself (see ``DemoProcesses``).
/// - `legacy-bridge`: ignores cancellation, so stopping it ends in *abandoned*.
enum DemoTree {
    /// The tree; its workers wait on `clock` (the engine's own timers take the clock given to
    /// `SupervisorHandle.start`).
    static func spec(failEvery: Duration, store: WorkerContext = WorkerContext(), clock: DemoClock = ContinuousClock()) -> SupervisorSpec {
        let stats = store
        return SupervisorSpec("shop", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 10, within: .seconds(30))) {
            SupervisorSpec("acceptors", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 5, within: .seconds(10))) {
                for index in 1...4 {
                    ChildSpec.worker("acceptor-\(index)") { context in Acceptor(store: stats, clock: clock, logger: context.logger) }
                }
            }.withTemplates([acceptorTemplate(stats, clock: clock)])
            SupervisorSpec("db", strategy: .restForOne, intensity: RestartIntensity(maxRestarts: 3, within: .seconds(5))) {
                ChildSpec.worker("conn-manager") { Ticker(every: .seconds(1), clock: clock) }
                SupervisorSpec("pool", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 5, within: .seconds(10))) {
                    for index in 1...4 {
                        ChildSpec.worker("pool-worker-\(index)") { Ticker(every: .milliseconds(250), clock: clock) }
                    }
                }.withTemplates([poolWorkerTemplate(clock: clock)])
                ChildSpec.worker("query-cache", restart: .transient) { Ticker(every: .seconds(2), clock: clock) }
            }
            SupervisorSpec("cache", strategy: .oneForAll, intensity: RestartIntensity(maxRestarts: 3, within: .seconds(5))) {
                ChildSpec.worker("cache-loader", restart: .transient) { Ticker(every: .seconds(2), clock: clock) }
                for index in 1...3 {
                    ChildSpec.worker("shard-\(index)", restart: .transient) { Ticker(every: .milliseconds(500), clock: clock) }
                }
            }
            SupervisorSpec("payments", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 5, within: .seconds(30))) {
                ChildSpec.worker("gateway", backoff: .exponential(initial: .milliseconds(200), maximum: .seconds(5), jitter: 0.2)) { context in
                    FlakyGateway(meanTimeToFailure: failEvery, store: stats, clock: clock, logger: context.logger)
                }
                ChildSpec.worker("ledger") { Ticker(every: .seconds(1), clock: clock) }
                ChildSpec.worker("fraud-check", restart: .transient) { Ticker(every: .milliseconds(700), clock: clock) }
            }
            SupervisorSpec("sessions", strategy: .oneForOne) {
                ChildSpec.worker("session-store") { SessionStore(store: stats, clock: clock) }
                ChildSpec.worker("session-reaper") { Ticker(every: .seconds(3), clock: clock) }
            }
            DemoProcesses.spec(failEvery: failEvery)
            ChildSpec.worker("metrics-reporter", restart: .temporary) { MetricsReporter(store: stats, clock: clock) }
            ChildSpec.worker("legacy-bridge", shutdown: .timeout(.milliseconds(500))) { LegacyBridge(clock: clock) }
        }
        .withContext(store)
        .withTemplates([jobTemplate(clock: clock)])
    }

    static func acceptorTemplate(_ store: WorkerContext, clock: DemoClock) -> WorkerTemplate {
        WorkerTemplate("acceptor", summary: "another request acceptor") { request in
            .worker(request.id) { context in Acceptor(store: store, clock: clock, logger: context.logger) }
        }
    }

    static func poolWorkerTemplate(clock: DemoClock) -> WorkerTemplate {
        WorkerTemplate("pool-worker", summary: "another database connection") { request in
            .worker(request.id) { Ticker(every: .milliseconds(250), clock: clock) }
        }
    }

    static func jobTemplate(clock: DemoClock) -> WorkerTemplate {
        WorkerTemplate("job", summary: "a transient job that finishes", parameters: ["seconds"]) { request in
            let seconds = try request.integer(0, named: "seconds", default: 10)
            guard (1...3600).contains(seconds) else { throw TemplateArgumentError("seconds must be within 1...3600 (was \(seconds))") }
            return .worker(request.id, restart: .transient) { Job(duration: .seconds(seconds), clock: clock) }
        }
    }
}
