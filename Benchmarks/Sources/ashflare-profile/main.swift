#if canImport(Glibc)
import Glibc
#endif
import AshFlare
import AshFlareDashboard
import BenchmarkScenarios

// Runs one benchmark scenario a fixed number of times without the benchmark harness, so that it
// can be profiled: `valgrind --tool=callgrind .build/release/ashflare-profile crash 20000`.
// Prints the wall-clock time of the measured part (meaningless under valgrind; use the
// instruction counts there).

let usage = """
    usage: ashflare-profile SCENARIO [COUNT]
      crash N            N crash → restart cycles, one-for-one (default 20000)
      crash-observer N   the same with one subscriber draining events()
      start N            start N idle children under one supervisor (default 10000)
      one-for-all N      N one-for-all rounds over 100 children (default 200)
      tree-start N       start the 1,111-node tree N times (default 5)
      tree-snapshot N    N snapshots of the 1,111-node tree (default 200)
      tree-shutdown N    shut the 1,111-node tree down N times (default 5)
      dashboard-frame N  render N dashboard frames of a 10k-node tree (default 1000)
      dashboard-events N apply N events to the dashboard model, in one batch (default 100000)
    """

let arguments = CommandLine.arguments.dropFirst()
guard let scenario = arguments.first else {
    print(usage)
    exit(2)
}
let count = arguments.dropFirst().first.flatMap { Int($0) }
let clock = ContinuousClock()

func report(_ what: String, _ elapsed: Duration, per units: Int, unit: String) {
    let perUnit = Double(elapsed / .nanoseconds(1)) / Double(units)
    print("\(what): \(elapsed) total, \(perUnit) ns per \(unit) (\(units) \(unit)s)")
}

switch scenario {
case "crash", "crash-observer":
    let cycles = count ?? 20_000
    let fixture = CrashLoopFixture(withObserver: scenario == "crash-observer")
    try await fixture.start()
    let started = clock.now
    await fixture.runCycles(cycles)
    let elapsed = started.duration(to: clock.now)
    await fixture.stop()
    report(scenario, elapsed, per: cycles, unit: "cycle")
    if fixture.withObserver {
        print("observer saw \(fixture.eventsObserved) events, missed \(fixture.eventsMissed)")
    }

case "start":
    let children = count ?? 10_000
    let spec = FlatTree.spec(children: children)
    let mallocBefore = MemoryProbe.mallocInUse() ?? 0
    let started = clock.now
    let tree = try await SupervisorHandle.start(spec)
    let elapsed = started.duration(to: clock.now)
    let mallocAfter = MemoryProbe.mallocInUse() ?? 0
    report("start", elapsed, per: children, unit: "child")
    print("malloc in use grew by \(mallocAfter - mallocBefore) bytes, \((mallocAfter - mallocBefore) / children) per child")
    await tree.shutdown()

case "one-for-all":
    let rounds = count ?? 200
    let fixture = OneForAllFixture(children: 100)
    try await fixture.start()
    let started = clock.now
    for _ in 0..<rounds { await fixture.runRound() }
    let elapsed = started.duration(to: clock.now)
    await fixture.stop()
    report("one-for-all", elapsed, per: rounds, unit: "round")

case "tree-start", "tree-shutdown":
    let runs = count ?? 5
    var measured = Duration.zero
    for _ in 0..<runs {
        let spec = DeepTree.spec()
        var started = clock.now
        let tree = try await SupervisorHandle.start(spec)
        if scenario == "tree-start" { measured += started.duration(to: clock.now) }
        started = clock.now
        await tree.shutdown()
        if scenario == "tree-shutdown" { measured += started.duration(to: clock.now) }
    }
    report(scenario, measured, per: runs, unit: "run")

case "tree-snapshot":
    let snapshots = count ?? 200
    let holder = TreeHolder()
    try await holder.start(DeepTree.spec())
    let tree = holder.handle
    var nodes = 0
    let started = clock.now
    for _ in 0..<snapshots { nodes &+= tree.snapshot().root.children.count }
    let elapsed = started.duration(to: clock.now)
    await holder.stop()
    report("tree-snapshot", elapsed, per: snapshots, unit: "snapshot")
    print("(checksum \(nodes))")

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

default:
    print(usage)
    exit(2)
}
