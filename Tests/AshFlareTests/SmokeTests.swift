import AshFlare
import AshFlareTestKit
import Testing

@Suite("Smoke")
struct SmokeTests {
    @Test("a crashed permanent worker is restarted")
    func crashRestart() async throws {
        let clock = ManualClock()
        let script = WorkerScript()
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("a", backoff: .none) { script.makeWorker() }
        }
        let tree = try await SupervisorHandle.start(spec, clock: clock)
        var events = tree.events().makeAsyncIterator()
        script.crash("boom")
        let kinds = await events.kinds(through: { $0.isStarted("root/a", incarnation: 2) })
        #expect(kinds == [
            .childExited(path: "root/a", incarnation: 1, reason: .error("boom")),
            .intensityChanged(supervisor: "root", restarts: 1, maxRestarts: 3),
            .restartScheduled(path: "root/a", delay: .zero),
            .childStarted(path: "root/a", incarnation: 2),
        ])
        await tree.shutdown()
        #expect(tree.liveWorkerTasks == 0)
    }
}
