#if canImport(Glibc)
import Glibc
#endif
import AshFlare
import AshFlareTestKit
import AshFlareDashboard
import BenchmarkScenarios
import Dispatch

// Runs one benchmark scenario a fixed number of times without the benchmark harness, so that it
// can be profiled: `valgrind --tool=callgrind .build/release/ashflare-profile crash 20000`
// (profile.sh does that at two sizes and reports the difference per unit of work).
// Prints the wall-clock time of the measured part (meaningless under valgrind; use the
// instruction counts there).
//
// `main` is synchronous on purpose: with an async `main` the main thread parks in libdispatch's
// `sigsuspend`, which valgrind 3.19 cannot run (it aborts with an internal SIGSEGV).

let usage = """
    usage: ashflare-profile SCENARIO [COUNT] [--no-shutdown]
      floor N            the Swift runtime's own cost, N times each: create + await a task,
                         throw + catch, cancel a suspended task (default 20000)
      crash N            N crash → restart cycles, one-for-one (default 20000)
      crash-observer N   the same with one subscriber draining events()
      crash-1ms N, crash-observer-1ms N
                         the same with a 1 ms intensity window instead of 1 s
      start N            start N idle children under one supervisor (default 10000)
      one-for-all N      N one-for-all rounds over 100 children (default 200)
      tree-start N       start the 1,111-node tree N times (default 5)
      tree-snapshot N    N snapshots of the 1,111-node tree (default 200)
      tree-shutdown N    shut the 1,111-node tree down N times (default 5)
      dashboard-frame N  render N frames of a 10k-node tree (default 1000)
      dashboard-events N apply N events to the dashboard model (default 100000)
      dashboard-logs N   N frames of a 10k-node tree with the logs pane open while 10k lines/s
                         arrive (2,500 lines applied before each frame at 4 frames/s; default 1000)
      replay-events N    replay a recording of N events (snapshot + events, 5 runs; default 1000000)
      remote-snapshot N  N snapshots of the 1,111-node tree over a Unix socket (default 2000)
      remote-events N    N one-for-all rounds of 100 children (~300 events each) streamed to a client over a Unix socket (default 300)
      local-events N     the same rounds observed in-process (the baseline)
      remote-capacity N  5 bursts of N ready-made events through server and client (default 200000)
      remote-ping N      N pings over a Unix socket: the protocol's own round trip (default 20000)
      remote-kill N      N kill requests over a Unix socket, round-robin over 200 children (default 20000)
      local-kill N       the same kills through the in-process handle (the baseline)

    --json: one JSON line of samples instead (SideBySide.swift; scripts/bench-vs-otp.sh,
    scripts/plot-benchmarks.sh), for crash N [--samples K] [--siblings S] [--fresh]
    [--warmup-ms W], start N [--samples K], one-for-all N, tree-start N, tree-snapshot N,
    tree-shutdown N, dashboard-frame N [--nodes M]
    """

let arguments = CommandLine.arguments.dropFirst()
guard let scenario = arguments.first else {
    print(usage)
    exit(2)
}
let count = arguments.dropFirst().first.flatMap { Int($0) }
/// `--no-shutdown`: `start` and `tree-start` exit without shutting their trees down, so that a
/// profile of the whole process holds start-up work only.
let keepRunning = arguments.contains("--no-shutdown")
/// `--json`: run the sampled form of the scenario and print one JSON line (SideBySide.swift).
let jsonOptions: SideBySideOptions?
do {
    jsonOptions = arguments.contains("--json") ? try SideBySideOptions(Array(arguments)) : nil
} catch {
    print("error: \(error)\n\n\(usage)")
    exit(2)
}

func report(_ what: String, _ elapsed: Duration, per units: Int, unit: String) {
    let perUnit = Double(elapsed / .nanoseconds(1)) / Double(units)
    print("\(what): \(elapsed) total, \(perUnit) ns per \(unit) (\(units) \(unit)s)")
}

func reportSamples(_ what: String, _ samples: [Duration]) {
    let sorted = samples.sorted()
    func percentile(_ p: Double) -> Duration { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
    func microseconds(_ d: Duration) -> String {
        let value = Double(d / .nanoseconds(1)) / 1000
        return value < 100 ? String(Int(value * 10)) .inserting(".", beforeLast: 1) + " µs" : "\(Int(value)) µs"
    }
    print("\(what): median \(microseconds(percentile(0.5))), p90 \(microseconds(percentile(0.9))), p99 \(microseconds(percentile(0.99))) (\(sorted.count) calls)")
}

extension String {
    /// The string with `character` inserted before its last `count` characters.
    func inserting(_ character: Character, beforeLast count: Int) -> String {
        var copy = self
        while copy.count <= count { copy = "0" + copy }
        copy.insert(character, at: copy.index(copy.endIndex, offsetBy: -count))
        return copy
    }
}

func runScenario(_ scenario: String, _ count: Int?, keepRunning: Bool) async throws {
    let clock = ContinuousClock()
    /// Runs and times `body`, the measured region.
    func measure<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
        let started = clock.now
        let result = try await body()
        return (result, started.duration(to: clock.now))
    }

    switch scenario {
    case "floor":
        let operations = count ?? 20_000
        let (_, created) = await measure { await RuntimeFloor.createAndAwait(operations) }
        report("floor: create + await a task", created, per: operations, unit: "task")
        let (_, thrown) = await measure { RuntimeFloor.throwAndCatch(operations) }
        report("floor: throw + catch", thrown, per: operations, unit: "error")
        let (cancelled, elapsed) = await measure { await RuntimeFloor.cancelSuspended(operations) }
        precondition(cancelled == operations, "a sleeping task was not cancelled")
        report("floor: create, wait until suspended, cancel, await", elapsed, per: operations, unit: "task")

    case "crash", "crash-observer", "crash-1ms", "crash-observer-1ms":
        let cycles = count ?? 20_000
        let intensity = scenario.hasSuffix("-1ms")
            ? RestartIntensity(maxRestarts: 1_000_000_000, within: .milliseconds(1)) : unboundedIntensity
        let fixture = CrashLoopFixture(withObserver: scenario.hasPrefix("crash-observer"), intensity: intensity)
        try await fixture.start()
        let (_, elapsed) = await measure { await fixture.runCycles(cycles) }
        await fixture.stop()
        report(scenario, elapsed, per: cycles, unit: "cycle")
        if fixture.withObserver {
            print("observer saw \(fixture.eventsObserved) events, missed \(fixture.eventsMissed)")
        }

    case "start":
        let children = count ?? 10_000
        let spec = FlatTree.spec(children: children)
        let mallocBefore = MemoryProbe.mallocInUse() ?? 0
        let (tree, elapsed) = try await measure { try await SupervisorHandle.start(spec) }
        let mallocAfter = MemoryProbe.mallocInUse() ?? 0
        report("start", elapsed, per: children, unit: "child")
        print("malloc in use grew by \(mallocAfter - mallocBefore) bytes, \((mallocAfter - mallocBefore) / children) per child")
        if keepRunning { exit(0) }
        await tree.shutdown()

    case "one-for-all":
        let rounds = count ?? 200
        let fixture = OneForAllFixture(children: 100)
        try await fixture.start()
        let (_, elapsed) = await measure {
            for _ in 0..<rounds { await fixture.runRound() }
        }
        await fixture.stop()
        report("one-for-all", elapsed, per: rounds, unit: "round")

    case "tree-start", "tree-shutdown":
        let runs = count ?? 5
        var total = Duration.zero
        var trees: [SupervisorHandle] = []
        for _ in 0..<runs {
            let spec = DeepTree.spec()
            if scenario == "tree-start" {
                let (tree, elapsed) = try await measure { try await SupervisorHandle.start(spec) }
                total += elapsed
                if keepRunning { trees.append(tree) } else { await tree.shutdown() }
            } else {
                let tree = try await SupervisorHandle.start(spec)
                let (_, elapsed) = await measure { await tree.shutdown() }
                total += elapsed
            }
        }
        report(scenario, total, per: runs, unit: "run")
        if keepRunning {
            print("\(trees.count) trees left running")
            exit(0)
        }

    case "tree-snapshot":
        let snapshots = count ?? 200
        let holder = TreeHolder()
        try await holder.start(DeepTree.spec())
        let tree = holder.handle
        var kept: [TreeSnapshot] = []
        kept.reserveCapacity(snapshots)
        // Snapshots are kept until after the measured region, as in the benchmark (which drops
        // each one outside its measured region).
        let (_, elapsed) = await measure {
            for _ in 0..<snapshots { kept.append(tree.snapshot()) }
        }
        print("(\(kept.map(\.root.children.count).reduce(0, +)) root children seen)")
        kept.removeAll()
        await holder.stop()
        report("tree-snapshot", elapsed, per: snapshots, unit: "snapshot")

    case "dashboard-frame":
        let frames = count ?? 1000
        let state = DashboardFixture.state()
        var durations: [Duration] = []
        for _ in 0..<frames {
            let started = clock.now
            let frame = Renderer.render(state, width: 160, height: 48)
            durations.append(started.duration(to: clock.now))
            precondition(frame.count == 48)
        }
        durations.sort()
        print("dashboard-frame: median \(durations[durations.count / 2]), p90 \(durations[durations.count * 9 / 10]) over \(frames) frames of \(state.nodes[0].model.nodes.count) nodes")

    case "dashboard-events":
        let total = count ?? 100_000
        let snapshot = DashboardFixture.snapshot()
        let events = DashboardFixture.events(total, after: snapshot)
        var rates: [Double] = []
        for _ in 0..<5 {
            var state = DashboardFixture.state(snapshot)
            let started = clock.now
            state.apply(.events(node: 0, events))
            let elapsed = started.duration(to: clock.now)
            rates.append(Double(total) / (Double(elapsed / .nanoseconds(1)) / 1e9))
            precondition(state.nodes[0].model.sequence == UInt64(total))
        }
        rates.sort()
        print("dashboard-events: median \(Int(rates[2])) events/s applying \(total) events (5 runs)")

    case "dashboard-logs":
        let frames = count ?? 1000
        var (logs, path) = DashboardFixture.logsState()
        var sequence: UInt64 = 0
        var applyTimes: [Duration] = [], renderTimes: [Duration] = [], totals: [Duration] = []
        for _ in 0..<frames {
            var batch: [LogLine] = []
            batch.reserveCapacity(2_500)
            for _ in 0..<2_500 {
                sequence += 1
                batch.append(LogLine(sequence: sequence, incarnation: 1, time: .milliseconds(Int64(sequence) / 10), stream: sequence % 7 == 0 ? .stderr : .logger,
                                     text: "GET /api/orders/\(sequence) 200 in \(sequence % 97) ms user=\(sequence % 1000) trace=\(sequence &* 2654435761 % 1_000_000)"))
            }
            let started = clock.now
            logs.apply(.logLines(node: 0, path: path, lines: batch, missed: 0))
            let applied = clock.now
            let frame = Renderer.render(logs, width: 160, height: 48)
            let rendered = clock.now
            precondition(frame.count == 48)
            applyTimes.append(started.duration(to: applied))
            renderTimes.append(applied.duration(to: rendered))
            totals.append(started.duration(to: rendered))
        }
        for name in ["apply", "render", "total"] {
            var times = name == "apply" ? applyTimes : (name == "render" ? renderTimes : totals)
            times.sort()
            print("dashboard-logs \(name): median \(times[times.count / 2]), p90 \(times[times.count * 9 / 10]) over \(frames) frames (2,500 lines each, pane holding \(logs.logsPane?.lines.count ?? 0))")
        }

    case "replay-events":
        let total = count ?? 1_000_000
        let snapshot = DashboardFixture.snapshot()
        let events = DashboardFixture.events(total, after: snapshot)
        let recording = Recording(
            header: RecordingHeader(tree: "bench", startedAt: "", source: "bench", checkEvery: 0),
            entries: [.snapshot(snapshot)] + events.map { .event($0) })
        var rates: [Double] = []
        for _ in 0..<5 {
            var model = TreeModel()
            var player = try ReplayPlayer(recording, model: &model)
            let started = clock.now
            player.seek(&model, toEntry: recording.entries.count)  // a jump to the end: what t 100% does
            let elapsed = started.duration(to: clock.now)
            rates.append(Double(total) / (Double(elapsed / .nanoseconds(1)) / 1e9))
            precondition(model.sequence == UInt64(total) && !model.needsResync)
        }
        rates.sort()
        print("replay-events: median \(Int(rates[2])) events/s replaying \(total) events over \(snapshot.root.children.count * 100) nodes (5 runs)")

    case "remote-snapshot":
        let runs = count ?? 2_000
        let fixture = RemoteFixture()
        try await RemoteSnapshot.start(fixture)
        var samples: [Duration] = []
        samples.reserveCapacity(runs)
        var checksum = 0
        for _ in 0..<runs {
            let started = clock.now
            checksum &+= try await RemoteSnapshot.run(fixture)
            samples.append(started.duration(to: clock.now))
        }
        await fixture.stop()
        reportSamples("remote-snapshot (1,111 nodes, Unix socket)", samples)
        print("(checksum \(checksum))")

    case "remote-events", "local-events":
        let rounds = count ?? 300
        let burst = RemoteEventBurst()
        try await burst.start()
        let started = clock.now
        let events = try await burst.run(rounds: rounds, locally: scenario == "local-events")
        let elapsed = started.duration(to: clock.now)
        await burst.stop()
        let perSecond = Double(events) / (Double(elapsed / .nanoseconds(1)) / 1e9)
        let how = scenario == "local-events" ? "(in-process observer)" : "over a Unix socket"
        print("\(scenario): \(events) events in \(elapsed), \(Int(perSecond)) events/s \(how)")

    case "remote-capacity":
        let burst = count ?? 200_000
        let capacity = RemoteEventCapacity(burst: burst)
        try await capacity.start()
        var rates: [Double] = []
        for _ in 0..<5 {
            let (events, elapsed) = try await measure { try await capacity.run() }
            rates.append(Double(events) / (Double(elapsed / .nanoseconds(1)) / 1e9))
        }
        await capacity.stop()
        let list = rates.map { String(Int($0)) }.joined(separator: ", ")
        print("remote-capacity: \(list) events/s over a Unix socket (median \(Int(rates.sorted()[2])); bursts of \(burst), synthetic source)")

    case "remote-ping":
        let pings = count ?? 20_000
        let fixture = RemoteFixture()
        try await fixture.start(SupervisorSpec("root") { ChildSpec.worker("w", backoff: .none) { IdleWorker() } })
        var samples: [Duration] = []
        samples.reserveCapacity(pings)
        for _ in 0..<pings {
            let started = clock.now
            try await fixture.client.ping()
            samples.append(started.duration(to: clock.now))
        }
        await fixture.stop()
        reportSamples("remote-ping (Unix socket)", samples)

    case "remote-kill", "local-kill":
        let kills = count ?? 20_000
        let killer = RemoteKill()
        try await killer.start()
        var samples: [Duration] = []
        samples.reserveCapacity(kills)
        for _ in 0..<kills {
            let started = clock.now
            try await killer.killNext(locally: scenario == "local-kill")
            samples.append(started.duration(to: clock.now))
        }
        await killer.stop()
        reportSamples(scenario == "local-kill" ? "local-kill (in-process handle)" : "remote-kill (Unix socket)", samples)
        print("(\(killer.refusedKills) of \(kills) found their child still restarting)")

    default:
        print(usage)
        exit(2)
    }
}

let finished = DispatchSemaphore(value: 0)
Task.detached { [scenario, count, keepRunning, jsonOptions] in
    do {
        if let jsonOptions {
            try await runSideBySide(scenario, count, jsonOptions)
        } else {
            try await runScenario(scenario, count, keepRunning: keepRunning)
        }
    } catch {
        print("error: \(error)")
        exit(1)
    }
    finished.signal()
}
finished.wait()
