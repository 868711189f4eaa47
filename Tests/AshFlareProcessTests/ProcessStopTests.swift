import AshFlare
import AshFlareProcess
import AshFlareTestKit
import Testing

/// Stops are enforced with real signals, timed on the tree's (manual) clock.
@Suite("Stopping a process child follows its shutdown policy for real", .timeLimit(.minutes(2)))
struct ProcessStopTests {
    /// A shell that writes its pid and its grandchild's, says "ready", and waits.
    static let family = #"sleep 1000 & echo "$$ $!" > "$PID_FILE"; echo ready; wait"#
    static let ready = Readiness.outputLine(matching: "ready", timeout: .seconds(30))

    @Test("terminate with a timeout sends SIGTERM, and a child that exits is reported as exited after SIGTERM")
    func terminateExitsAfterSigterm() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let clock = ManualClock()
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("web", Self.family, pidFile: scratch.path("web"), readiness: Self.ready, shutdown: .timeout(.seconds(5))),
        ]), clock: clock)
        let pids = scratch.pids(in: "web")
        #expect(pids.count == 2)
        try await tree.tree.terminate("root/web")
        #expect(await tree.nextExit(of: "root/web") == .stopped(.exitedAfterRequest))
        #expect(await allExit(pids, within: 10))
        await tree.tree.shutdown()
    }

    @Test("a child that ignores SIGTERM is killed with SIGKILL once its timeout passes on the tree's clock")
    func ignoredSigtermIsKilledAfterTimeout() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let clock = ManualClock()
        let script = #"trap "" TERM; echo "$$" > "$PID_FILE"; echo ready; exec sleep 1000"#
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("stubborn", script, pidFile: scratch.path("pid"), readiness: Self.ready, shutdown: .timeout(.seconds(5))),
        ]), clock: clock)
        let pids = scratch.pids(in: "pid")
        let handle = tree.tree
        let stop = Task { try await handle.terminate("root/stubborn") }
        await clock.waitForSleepers(atLeast: 1)
        // SIGTERM has been sent (before the deadline was armed) and ignored: still alive.
        #expect(pids.allSatisfy(ProcessLiveness.isAlive))
        clock.advance(by: .seconds(5))
        try await stop.value
        #expect(await tree.nextExit(of: "root/stubborn") == .stopped(.killedAfterTimeout))
        #expect(await allExit(pids, within: 10))
        await tree.tree.shutdown()
    }

    @Test("a brutal shutdown kills the child's whole process group at once")
    func brutalKillsAtOnce() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("db", Self.family, pidFile: scratch.path("db"), readiness: Self.ready, shutdown: .brutal),
        ]), clock: ManualClock())
        let pids = scratch.pids(in: "db")
        try await tree.tree.terminate("root/db")
        #expect(await tree.nextExit(of: "root/db") == .stopped(.killedAtOnce))
        #expect(await allExit(pids, within: 10))
        await tree.tree.shutdown()
    }

    @Test("kill sends SIGKILL to the process group, even past a trap, and the child is restarted")
    func killIsRealAndRestarts() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // The trap is inherited by the grandchild: neither the shell nor its sleep dies of SIGTERM.
        let script = #"trap "" TERM; sleep 1000 & echo "$$ $!" >> "$PID_FILE"; echo ready; wait"#
        let clock = ManualClock()
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("worker", script, pidFile: scratch.path("w"), readiness: Self.ready, shutdown: .timeout(.seconds(5))),
        ]), clock: clock)
        let pids = scratch.pids(in: "w")
        #expect(pids.count == 2)
        try await tree.tree.kill("root/worker")
        #expect(await tree.nextExit(of: "root/worker") == .killed)
        #expect(await allExit(pids, within: 10))
        #expect(await tree.events.next(where: { $0.isStarted("root/worker", incarnation: 2) }) != nil)
        // The second incarnation ignores SIGTERM too: shutdown kills it after the timeout.
        let handle = tree.tree
        let shutdown = Task { await handle.shutdown() }
        await clock.waitForSleepers(atLeast: 1)
        clock.advance(by: .seconds(5))
        await shutdown.value
        #expect(await tree.nextExit(of: "root/worker") == .stopped(.killedAfterTimeout))
        #expect(await allExit(scratch.pids(in: "w"), within: 10))
    }

    @Test("shutdown stops process children in reverse start order, each enforced")
    func shutdownInReverseOrder() async throws {
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("first", "exec sleep 1000"), try shell("second", "exec sleep 1000"),
        ]), clock: ManualClock())
        let handle = tree.tree
        let shutdown = Task { await handle.shutdown() }
        let exits = await tree.events.kinds(through: { $0.isExited("root") }).compactMap { kind -> String? in
            guard case .childExited(let path, _, let reason) = kind else { return nil }
            return "\(path) \(reason)"
        }
        await shutdown.value
        #expect(exits == [
            "root/second shutdown (exited after SIGTERM)", "root/first shutdown (exited after SIGTERM)", "root shutdown",
        ])
    }
}
