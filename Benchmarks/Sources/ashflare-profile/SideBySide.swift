import AshFlare
import AshFlareDashboard
import AshFlareTestKit
import BenchmarkScenarios

// `ashflare-profile SCENARIO COUNT --json [OPTIONS]`: the scenarios of scripts/bench-vs-otp.sh
// and scripts/plot-benchmarks.sh, sampled, with one JSON line per run on stdout:
//
//   {"impl":"ashflare","scenario":"crash-long","unit":"cycle","count":1000,"siblings":1,
//    "samples_ns":[…],"median_ns":…}
//
// `samples_ns` holds one value per sample, in nanoseconds per unit (cycle, child, round, run,
// snapshot, frame). Benchmarks/otp/ashflare_bench.erl prints the same lines for Erlang/OTP
// (`"impl":"otp"`), with the same scenarios, counts and options.

/// The options of a `--json` run: `--samples K`, `--siblings S`, `--warmup-ms W`, `--nodes M`,
/// `--fresh`.
struct SideBySideOptions {
    var samples: Int?
    var siblings = 1
    var warmupMilliseconds = 2_000
    var nodes = 10_000
    var fresh = false

    /// Parses the options among `arguments`; unknown words are ignored (the scenario and count
    /// are parsed by main.swift).
    init(_ arguments: [String]) throws {
        var index = 0
        func value(_ name: String) throws -> Int {
            guard index + 1 < arguments.count, let value = Int(arguments[index + 1]), value > 0 else {
                throw SideBySideError("\(name) needs a positive integer")
            }
            index += 1
            return value
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--samples": samples = try value("--samples")
            case "--siblings": siblings = try value("--siblings")
            case "--warmup-ms": warmupMilliseconds = try value("--warmup-ms")
            case "--nodes": nodes = try value("--nodes")
            case "--fresh": fresh = true
            default: break
            }
            index += 1
        }
    }
}

/// A bad command line in `--json` mode.
struct SideBySideError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One JSON line: the samples in ns per unit, their median, and optional extra fields.
struct SideBySideResult {
    var scenario: String
    var unit: String
    var count: Int
    var samples: [Double]
    var extra: [(String, Double)] = []

    /// The JSON line: the fields in a fixed order, numbers as integers where they are whole.
    var json: String {
        let sorted = samples.sorted()
        let median = sorted.isEmpty ? 0 : sorted[(sorted.count - 1) / 2]
        var fields = [
            "\"impl\":\"ashflare\"", "\"scenario\":\"\(scenario)\"", "\"unit\":\"\(unit)\"", "\"count\":\(count)",
        ]
        for (key, value) in extra { fields.append("\"\(key)\":\(Self.number(value))") }
        fields.append("\"samples_ns\":[\(samples.map(Self.number).joined(separator: ","))]")
        fields.append("\"median_ns\":\(Self.number(median))")
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// `value` as a JSON number: an integer when whole, else rounded to three decimals.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String((value * 1000).rounded() / 1000)
    }
}

/// Runs one `--json` scenario and prints its line.
func runSideBySide(_ scenario: String, _ count: Int?, _ options: SideBySideOptions) async throws {
    let result: SideBySideResult
    switch scenario {
    case "crash":
        result = try await SideBySide.crash(cycles: count ?? 1_000, options)
    case "start":
        result = try await SideBySide.start(children: count ?? 10_000, samples: options.samples ?? 1)
    case "one-for-all":
        result = try await SideBySide.oneForAll(rounds: count ?? 200)
    case "tree-start", "tree-snapshot", "tree-shutdown":
        result = try await SideBySide.tree(scenario, runs: count ?? 20)
    case "dashboard-frame":
        result = SideBySide.dashboardFrame(frames: count ?? 200, nodes: options.nodes)
    default:
        throw SideBySideError("no --json form of \(scenario) (crash, start, one-for-all, tree-start, tree-snapshot, tree-shutdown, dashboard-frame)")
    }
    print(result.json)
}

/// The sampled scenarios.
enum SideBySide {
    /// The clock of every measured region.
    static let clock = ContinuousClock()

    /// `duration` in nanoseconds.
    static func nanoseconds(_ duration: Duration) -> Double { Double(duration / .nanoseconds(1)) }

    /// Times `body`.
    static func time(_ body: () async throws -> Void) async rethrows -> Duration {
        let started = clock.now
        try await body()
        return started.duration(to: clock.now)
    }

    /// A one-for-one supervisor with a gated crash worker first and `siblings - 1` idle workers,
    /// its first incarnation parked (as `CrashLoopFixture` does).
    static func startCrashTree(siblings: Int) async throws -> (SupervisorHandle, CrashGate) {
        let gate = CrashGate()
        var children = [ChildSpec.worker("a", restart: .permanent, backoff: .none) { GatedCrashWorker(gate: gate) }]
        for index in 1..<max(1, siblings) {
            children.append(ChildSpec.worker("w\(index)", restart: .permanent, backoff: .none) { IdleWorker() })
        }
        let spec = SupervisorSpec("root", strategy: .oneForOne, intensity: unboundedIntensity, children: children)
        let tree = try await SupervisorHandle.start(spec)
        await gate.run(cycles: 1)
        return (tree, gate)
    }

    /// `crash N`: samples of N crash → restart cycles, long-lived supervisor after a warm-up, or
    /// `--fresh`: a new supervisor per sample.
    static func crash(cycles: Int, _ options: SideBySideOptions) async throws -> SideBySideResult {
        let samples = options.samples ?? 15
        var times: [Double] = []
        if options.fresh {
            for _ in 0..<samples {
                let (tree, gate) = try await startCrashTree(siblings: options.siblings)
                let elapsed = await time { await gate.run(cycles: cycles) }
                times.append(nanoseconds(elapsed) / Double(cycles))
                await tree.shutdown()
            }
        } else {
            let (tree, gate) = try await startCrashTree(siblings: options.siblings)
            let warmUpEnd = clock.now.advanced(by: .milliseconds(options.warmupMilliseconds))
            while clock.now < warmUpEnd { await gate.run(cycles: cycles) }
            for _ in 0..<samples {
                let elapsed = await time { await gate.run(cycles: cycles) }
                times.append(nanoseconds(elapsed) / Double(cycles))
            }
            await tree.shutdown()
        }
        return SideBySideResult(
            scenario: options.fresh ? "crash-fresh" : "crash-long", unit: "cycle", count: cycles, samples: times,
            extra: [("siblings", Double(options.siblings))])
    }

    /// `start N`: samples of `SupervisorHandle.start` with N idle children; ns and malloc bytes
    /// per child (growth of glibc's bytes in use across the start).
    static func start(children: Int, samples: Int) async throws -> SideBySideResult {
        var times: [Double] = []
        var bytes: [Double] = []
        for _ in 0..<samples {
            let spec = FlatTree.spec(children: children)
            let before = MemoryProbe.mallocInUse() ?? 0
            var tree: SupervisorHandle?
            let elapsed = try await time { tree = try await SupervisorHandle.start(spec) }
            let after = MemoryProbe.mallocInUse() ?? 0
            times.append(nanoseconds(elapsed) / Double(children))
            bytes.append(Double(after - before) / Double(children))
            await tree?.shutdown()
        }
        return SideBySideResult(
            scenario: "start", unit: "child", count: children, samples: times,
            extra: [("bytes_per_unit", bytes.sorted()[(bytes.count - 1) / 2])])
    }

    /// `one-for-all N`: N rounds over 100 children, one sample per round.
    static func oneForAll(rounds: Int) async throws -> SideBySideResult {
        let fixture = OneForAllFixture(children: 100)
        try await fixture.start()
        var times: [Double] = []
        for _ in 0..<rounds {
            times.append(nanoseconds(await time { await fixture.runRound() }))
        }
        await fixture.stop()
        return SideBySideResult(
            scenario: "one-for-all", unit: "round", count: rounds, samples: times, extra: [("children", 100)])
    }

    /// `tree-start|tree-snapshot|tree-shutdown N`: N runs over the 1,111-node tree.
    static func tree(_ scenario: String, runs: Int) async throws -> SideBySideResult {
        var times: [Double] = []
        switch scenario {
        case "tree-snapshot":
            let tree = try await SupervisorHandle.start(DeepTree.spec())
            for _ in 0..<runs {
                var snapshot: TreeSnapshot?
                let elapsed = await time { snapshot = tree.snapshot() }
                precondition(snapshot?.root.children.count == 10)
                times.append(nanoseconds(elapsed))
            }
            await tree.shutdown()
        case "tree-start":
            for _ in 0..<runs {
                let spec = DeepTree.spec()
                var tree: SupervisorHandle?
                times.append(nanoseconds(try await time { tree = try await SupervisorHandle.start(spec) }))
                await tree?.shutdown()
            }
        default:
            for _ in 0..<runs {
                let tree = try await SupervisorHandle.start(DeepTree.spec())
                times.append(nanoseconds(await time { await tree.shutdown() }))
            }
        }
        let unit = scenario == "tree-snapshot" ? "snapshot" : "run"
        return SideBySideResult(
            scenario: scenario, unit: unit, count: runs, samples: times,
            extra: [("nodes", Double(DeepTree.nodeCount(fanOut: 10)))])
    }

    /// `dashboard-frame N --nodes M`: N frames (160 × 48) of a tree of 100 supervisors with
    /// M / 100 − 1 workers each (M + 1 nodes with the root).
    static func dashboardFrame(frames: Int, nodes: Int) -> SideBySideResult {
        let workersEach = max(1, nodes / 100 - 1)
        let state = DashboardFixture.state(DashboardFixture.snapshot(supervisors: 100, workersEach: workersEach))
        var times: [Double] = []
        for _ in 0..<frames {
            let started = clock.now
            let frame = Renderer.render(state, width: 160, height: 48)
            times.append(nanoseconds(started.duration(to: clock.now)))
            precondition(frame.count == 48)
        }
        return SideBySideResult(
            scenario: "dashboard-frame", unit: "frame", count: frames, samples: times,
            extra: [("nodes", Double(state.nodes[0].model.nodes.count))])
    }
}
