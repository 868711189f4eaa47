import AshFlare
import AshFlareTestKit
import Testing

@Suite("Start and order of children", .timeLimit(.minutes(1)))
struct StartAndOrderTests {
    @Test("children start in spec order and whichChildren lists them in order with id, type, policy and state")
    func startOrder() async throws {
        let scripts = Scripts(["a", "b", "c"])
        let spec = SupervisorSpec("root") {
            scripts.child("a")
            scripts.child("b", restart: .transient)
            scripts.child("c", restart: .temporary)
        }
        let started = ManualClock()
        let tree = try await SupervisorHandle.start(spec, clock: started)
        let infos = try tree.whichChildren(of: "root")
        #expect(infos.map(\.id) == ["a", "b", "c"])
        #expect(infos.map(\.type) == [.worker, .worker, .worker])
        #expect(infos.map(\.restartPolicy) == [.permanent, .transient, .temporary])
        #expect(infos.map(\.state) == [.running, .running, .running])
        #expect(infos.map(\.path) == ["root/a", "root/b", "root/c"])
        #expect(scripts["a"].initializations == 1)
        await tree.shutdown()
    }

    @Test("start returns after each child initialised in order, so later children may rely on earlier ones")
    func startEventsInOrder() async throws {
        let scripts = Scripts(["a", "b", "c"])
        let spec = SupervisorSpec("root") { scripts.child("a"); scripts.child("b"); scripts.child("c") }
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock())
        let snapshot = tree.snapshot()
        #expect(snapshot.root.children.map(\.state) == [.running, .running, .running])
        #expect(snapshot.root.state == .running)
        #expect(snapshot.sequence == 7, "three children added, three started, then the root")
        await tree.shutdown()
    }

    @Test("a nested supervisor is listed as one supervisor child and its children are reachable by path")
    func nestedSupervisor() async throws {
        let scripts = Scripts(["w", "x"])
        let spec = SupervisorSpec("root") {
            scripts.child("w")
            SupervisorSpec("db", strategy: .restForOne) { scripts.child("x") }
        }
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock())
        let top = try tree.whichChildren(of: "root")
        #expect(top.map(\.id) == ["w", "db"])
        #expect(top.map(\.type) == [.worker, .supervisor])
        let nested = try tree.whichChildren(of: "root/db")
        #expect(nested.map(\.path) == ["root/db/x"])
        #expect(try tree.countChildren(of: "root") == ChildCounts(specs: 2, active: 2, supervisors: 1, workers: 1))
        #expect(tree.snapshot().node(at: "root/db")?.supervisor?.strategy == .restForOne)
        await tree.shutdown()
    }

    @Test("starting a child with an existing id fails with childAlreadyExists and leaves the tree unchanged")
    func duplicateStart() async throws {
        let scripts = Scripts(["a"])
        var t = try await TreeUnderTest.start(SupervisorSpec("root") { scripts.child("a") })
        let before = t.tree.snapshot()
        await expectSupervisorError(.childAlreadyExists) {
            try await t.tree.startChild(.worker("a") { IdleWorker() }, under: "root")
        }
        let after = t.tree.snapshot()
        #expect(after.root.children == before.root.children)
        #expect(after.sequence == before.sequence, "no event was emitted")
        _ = try await t.barrier()
        await t.tree.shutdown()
    }

    @Test("a child started at runtime is appended, initialised before startChild returns, and announced")
    func dynamicStart() async throws {
        var t = try await TreeUnderTest.start(SupervisorSpec("root") { ChildSpec.worker("a") { IdleWorker() } })
        let script = WorkerScript()
        try await t.tree.startChild(.worker("b") { script.makeWorker() }, under: "root")
        #expect(script.initializations == 1)
        #expect(try t.tree.whichChildren(of: "root").map(\.id) == ["a", "b"])
        #expect(await t.events.nextKinds(2) == [.childAdded(path: "root/b"), .childStarted(path: "root/b", incarnation: 1)])
        await t.tree.shutdown()
    }

    @Test("a nested supervisor can be started at runtime and its children are reachable")
    func dynamicSupervisor() async throws {
        let t = try await TreeUnderTest.start(SupervisorSpec("root"))
        try await t.tree.startChild(.supervisor(SupervisorSpec("pool") { ChildSpec.worker("p1") { IdleWorker() } }), under: "root")
        #expect(try t.tree.whichChildren(of: "root/pool").map(\.state) == [.running])
        await t.tree.shutdown()
    }

    @Test("a child whose initialize fails at runtime is not added and not restarted")
    func linkedStartFailure() async throws {
        var t = try await TreeUnderTest.start(SupervisorSpec("root"))
        let script = WorkerScript()
        script.failInitialization("no database")
        await expectSupervisorError(.initializationFailed) {
            try await t.tree.startChild(.worker("db") { script.makeWorker() }, under: "root")
        }
        #expect(try t.tree.whichChildren(of: "root").isEmpty)
        let kinds = try await t.barrier()
        #expect(kinds == [.childAdded(path: "root/db"), .childRemoved(path: "root/db")])
        await t.tree.shutdown()
    }

    @Test("a child whose initialize does not finish in time is stopped and not added")
    func linkedStartTimeout() async throws {
        let clock = ManualClock()
        let t = try await TreeUnderTest.start(SupervisorSpec("root"), clock: clock)
        let start = Task {
            try await t.tree.startChild(
                .worker("slow", shutdown: .brutal) { SlowInitWorker() }, under: "root", initializationTimeout: .seconds(2))
        }
        await clock.waitForSleepers(atLeast: 1)
        clock.advance(by: .seconds(2))
        await expectSupervisorError(.initializationTimeout) { try await start.value }
        #expect(try t.tree.whichChildren(of: "root").isEmpty)
        await t.tree.shutdown()
    }
}

/// A worker whose `initialize()` waits until cancelled.
struct SlowInitWorker: Worker {
    func initialize() async throws { try await IdleWorker().run() }
    func run() async throws {}
}
