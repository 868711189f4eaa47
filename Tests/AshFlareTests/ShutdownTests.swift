import AshFlare
import AshFlareTestKit
import Testing

@Suite("Shutdown", .timeLimit(.minutes(1)))
struct ShutdownTests {
    @Test("shutdown stops children in reverse order, runs their shutdown hooks and awaits nested supervisors")
    func reverseOrder() async throws {
        let scripts = Scripts(["a", "b", "x"])
        let spec = SupervisorSpec("root") {
            scripts.child("a")
            SupervisorSpec("nested") { scripts.child("x") }
            scripts.child("b")
        }
        var t = try await TreeUnderTest.start(spec)
        await t.tree.shutdown()
        let exits = await t.events.kinds(through: { $0.isExited("root") }).compactMap { kind -> ChildPath? in
            if case .childExited(let path, _, .shutdown) = kind { path } else { nil }
        }
        #expect(exits == ["root/b", "root/nested/x", "root/nested", "root/a", "root"])
        #expect(scripts["a"].shutdownHookRuns == 1)
        #expect(scripts["x"].shutdownHookRuns == 1)
        #expect(t.tree.liveWorkerTasks == 0)
    }

    @Test("a worker that ignores cancellation is abandoned after its timeout and reported")
    func abandonment() async throws {
        let stuck = WorkerScript(ignoresCancellation: true)
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("stuck", shutdown: .timeout(.seconds(3))) { stuck.makeWorker() }
        }
        var t = try await TreeUnderTest.start(spec)
        let shutdown = Task { [tree = t.tree] in await tree.shutdown() }
        await t.clock.waitForSleepers(atLeast: 1)
        t.clock.advance(by: .seconds(3))
        await shutdown.value
        let kinds = await t.events.kinds(through: { $0.isExited("root") })
        #expect(kinds.contains(.abandoned(path: "root/stuck", incarnation: 1)))
        #expect(kinds.contains(.childExited(path: "root/stuck", incarnation: 1, reason: .abandoned)))
        #expect(t.tree.abandonedWorkerTasks == 1)
        #expect(t.tree.liveWorkerTasks == 1, "the abandoned task is still counted, never silently leaked")
        stuck.exitNormally()
    }

    @Test("brutal shutdown does not wait for the worker")
    func brutal() async throws {
        let stuck = WorkerScript(ignoresCancellation: true)
        let spec = SupervisorSpec("root") { ChildSpec.worker("stuck", shutdown: .brutal) { stuck.makeWorker() } }
        var t = try await TreeUnderTest.start(spec)
        await t.tree.shutdown()  // returns without the clock moving
        #expect(t.tree.snapshot().root.state == .stopped)
        // Never reported as a normal shutdown while its task runs on: said, and counted.
        let exit = await t.events.next(where: { $0.isExited("root/stuck") })
        #expect(exit?.kind == .childExited(path: "root/stuck", incarnation: 1, reason: .stopped(.cancelledNotAwaited)))
        #expect(t.tree.abandonedWorkerTasks == 1)
        #expect(t.tree.liveWorkerTasks == 1)
        stuck.exitNormally()
    }

    @Test("infinity waits for as long as the worker takes")
    func infinity() async throws {
        let slow = WorkerScript(ignoresCancellation: true)
        let spec = SupervisorSpec("root") { ChildSpec.worker("slow", shutdown: .infinity) { slow.makeWorker() } }
        var t = try await TreeUnderTest.start(spec)
        let shutdown = Task { [tree = t.tree] in await tree.shutdown() }
        _ = await t.events.next(where: { $0 == .shutdownBegan(supervisor: "root") })
        slow.exitNormally()
        await shutdown.value
        #expect(t.tree.abandonedWorkerTasks == 0)
        #expect(t.tree.liveWorkerTasks == 0)
    }

    @Test("every operation after shutdown fails with shuttingDown")
    func afterShutdown() async throws {
        let t = try await TreeUnderTest.start(SupervisorSpec("root") { ChildSpec.worker("a") { IdleWorker() } })
        await t.tree.shutdown()
        await t.tree.shutdown()  // idempotent
        await expectSupervisorError(.shuttingDown) { try await t.tree.kill("root/a") }
        await expectSupervisorError(.shuttingDown) { try await t.tree.terminate("root/a") }
        await expectSupervisorError(.shuttingDown) { try await t.tree.restart("root/a") }
        await expectSupervisorError(.shuttingDown) { try await t.tree.delete("root/a") }
        await expectSupervisorError(.shuttingDown) { _ = try t.tree.whichChildren(of: "root") }
        await expectSupervisorError(.shuttingDown) { _ = try t.tree.countChildren(of: "root") }
        await expectSupervisorError(.shuttingDown) {
            try await t.tree.startChild(.worker("b") { IdleWorker() }, under: "root")
        }
        var events = t.tree.events().makeAsyncIterator()
        #expect(await events.next() == nil)
    }

    @Test("dropping the last handle shuts the tree down")
    func dropHandle() async throws {
        let script = WorkerScript()
        var observed: SupervisorEvents.Iterator
        do {
            let tree = try await SupervisorHandle.start(SupervisorSpec("root") {
                ChildSpec.worker("a") { script.makeWorker() }
            }, clock: ManualClock())
            observed = tree.events().makeAsyncIterator()
        }
        let kinds = await observed.kinds(through: { $0.isExited("root") })
        #expect(kinds.last == .childExited(path: "root", incarnation: 1, reason: .shutdown))
        #expect(script.shutdownHookRuns == 1)
    }
}
