#if canImport(Glibc)
import Glibc
#endif
import AshFlare
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
      remote-snapshot N  N snapshots of the 1,111-node tree over a Unix socket (default 2000)
      remote-events N    N crash cycles whose events stream to a client over a Unix socket (default 100000)
      remote-kill N      N kill requests over a Unix socket, round-robin over 200 children (default 20000)
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

case "remote-events":
    let cycles = count ?? 100_000
    let burst = RemoteEventBurst()
    try await burst.start()
    let started = clock.now
    let events = try await burst.run(cycles: cycles)
    let elapsed = started.duration(to: clock.now)
    await burst.stop()
    let perSecond = Double(events) / (Double(elapsed / .nanoseconds(1)) / 1e9)
    print("remote-events: \(events) events in \(elapsed), \(Int(perSecond)) events/s over a Unix socket")

case "remote-kill":
    let kills = count ?? 20_000
    let scenario = RemoteKill()
    try await scenario.start()
    var samples: [Duration] = []
    samples.reserveCapacity(kills)
    for _ in 0..<kills {
        let started = clock.now
        try await scenario.killNext()
        samples.append(started.duration(to: clock.now))
    }
    await scenario.stop()
    reportSamples("remote-kill (Unix socket)", samples)
    print("(\(scenario.refusedKills) of \(kills) found their child still restarting)")

default:
    print(usage)
    exit(2)
}

/// Prints the median and percentiles of per-call samples.
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
