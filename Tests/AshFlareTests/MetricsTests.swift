import AshFlare
import AshFlareTestKit
import MetricsTestKit
import Testing

@Suite("Metrics", .timeLimit(.minutes(1)))
struct MetricsTests {
    @Test("restarts, exits by reason, escalations, abandoned workers and active workers are counted with bounded dimensions")
    func counters() async throws {
        let metrics = TestMetrics()
        let scripts = Scripts(["w"])
        let stuck = WorkerScript(ignoresCancellation: true)
        let spec = SupervisorSpec("metrics-tree") {
            SupervisorSpec("db", intensity: RestartIntensity(maxRestarts: 1, within: .seconds(60))) { scripts.child("w") }
            ChildSpec.worker("stuck", shutdown: .timeout(.seconds(1))) { stuck.makeWorker() }
        }
        let clock = ManualClock()
        let tree = try await SupervisorHandle.start(spec, clock: clock, options: SupervisionOptions(metricsFactory: metrics))
        var events = tree.events().makeAsyncIterator()
        scripts["w"].crash()
        _ = await events.next(where: { $0.isStarted("metrics-tree/db/w", incarnation: 2) })
        scripts["w"].crash()
        _ = await events.next(where: { $0.isStarted("metrics-tree/db", incarnation: 2) })
        let shutdown = Task { await tree.shutdown() }
        await clock.waitForSleepers()
        clock.advance(by: .seconds(1))
        await shutdown.value

        let tree_ = ("tree", "metrics-tree")
        #expect(try metrics.expectCounter("ashflare_restarts_total", [tree_, ("supervisor", "metrics-tree/db")]).totalValue == 1)
        #expect(try metrics.expectCounter("ashflare_restarts_total", [tree_, ("supervisor", "metrics-tree")]).totalValue == 1)
        #expect(try metrics.expectCounter("ashflare_escalations_total", [tree_, ("supervisor", "metrics-tree/db")]).totalValue == 1)
        #expect(try metrics.expectCounter("ashflare_child_exits_total", [tree_, ("reason", "error")]).totalValue == 2)
        #expect(try metrics.expectCounter("ashflare_child_exits_total", [tree_, ("reason", "escalated")]).totalValue == 1)
        #expect(try metrics.expectCounter("ashflare_child_exits_total", [tree_, ("reason", "abandoned")]).totalValue == 1)
        #expect(try metrics.expectCounter("ashflare_abandoned_workers_total", [tree_]).totalValue == 1)
        #expect(try metrics.expectGauge("ashflare_active_workers", [tree_]).lastValue == 1, "only the abandoned task is still alive")
        let labels = Set(metrics.counters.flatMap { $0.dimensions.map(\.0) })
        #expect(labels.isSubset(of: ["tree", "supervisor", "reason"]), "no per-worker dimension")
        stuck.exitNormally()
    }
}
