import AshFlare
import AshFlareDashboard
import Benchmark
import BenchmarkScenarios

// The scenarios and targets are described in docs/BENCHMARKS.md; the fixtures live in
// Sources/BenchmarkScenarios so that the `ashflare-profile` driver runs exactly the same code.

/// Nanoseconds per child of a start (scenario 3), computed inside the measured region.
let nanosecondsPerChild = BenchmarkMetric.custom("ns per child", polarity: .prefersSmaller, useScalingFactor: false)
/// Bytes the C allocator holds per started child (glibc mallinfo2 delta / N, headers included).
let bytesPerChild = BenchmarkMetric.custom("malloc bytes per child", polarity: .prefersSmaller, useScalingFactor: false)
/// Resident set growth per started child.
let residentBytesPerChild = BenchmarkMetric.custom("RSS bytes per child", polarity: .prefersSmaller, useScalingFactor: false)
/// Events the observer received per iteration of 1,000 crash cycles (scenario 2).
let observedEvents = BenchmarkMetric.custom("events seen per 1000 cycles", polarity: .prefersLarger, useScalingFactor: false)
/// Events the observer was told it missed (`lagged`) per iteration of 1,000 cycles.
let missedEvents = BenchmarkMetric.custom("events missed per 1000 cycles", polarity: .prefersSmaller, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResidentDelta],
        warmupIterations: 3,
        maxDuration: .seconds(5),
        maxIterations: 1_000
    )

    // 1 + 2. crash → restart cycle of one permanent worker, one-for-one, without and with an
    // observer. The intensity never escalates: 10⁹ restarts within 1 s as briefed, and within
    // 1 ms, which keeps the restart window (and so the observer's per-event work, see
    // docs/BENCHMARKS.md) small.
    let windows: [(label: String, intensity: RestartIntensity)] = [
        ("", unboundedIntensity),
        (" (1 ms window)", RestartIntensity(maxRestarts: 1_000_000_000, within: .milliseconds(1))),
    ]
    for (window, withObserver) in windows.flatMap({ window in [(window, false), (window, true)] }) {
        let fixture = CrashLoopFixture(withObserver: withObserver, intensity: window.intensity)
        let name = (withObserver ? "crash-restart cycle, 1 observer" : "crash-restart cycle") + window.label
        var metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResidentDelta]
        if withObserver { metrics += [observedEvents, missedEvents] }
        Benchmark(
            name,
            configuration: .init(
                metrics: metrics, timeUnits: .nanoseconds, warmupIterations: 5, scalingFactor: .kilo,
                maxDuration: .seconds(5))
        ) { benchmark in
            let seenBefore = fixture.eventsObserved
            let missedBefore = fixture.eventsMissed
            benchmark.startMeasurement()
            await fixture.runCycles(benchmark.scaledIterations.count)
            benchmark.stopMeasurement()
            if withObserver {
                benchmark.measurement(observedEvents, fixture.eventsObserved - seenBefore)
                benchmark.measurement(missedEvents, fixture.eventsMissed - missedBefore)
            }
        } setup: {
            try await fixture.start()
        } teardown: {
            await fixture.stop()
        }
    }

    // 3. start N idle children under one supervisor (shutdown outside the measured region).
    // The larger sizes take seconds per start (and shutdown), so they run a few times without
    // warm-up.
    for count in [1_000, 10_000, 100_000] {
        Benchmark(
            "start \(count) idle children",
            configuration: .init(
                metrics: [
                    .wallClock, .mallocCountTotal, .memoryLeakedBytes, .peakMemoryResidentDelta,
                    nanosecondsPerChild, bytesPerChild, residentBytesPerChild,
                ],
                warmupIterations: count >= 10_000 ? 0 : 1,
                maxDuration: .seconds(count >= 10_000 ? 60 : 10),
                maxIterations: count >= 100_000 ? 5 : (count >= 10_000 ? 10 : 100)
            )
        ) { benchmark in
            let spec = FlatTree.spec(children: count)
            let clock = ContinuousClock()
            let mallocBefore = MemoryProbe.mallocInUse() ?? 0
            let residentBefore = MemoryProbe.residentBytes() ?? 0
            benchmark.startMeasurement()
            let started = clock.now
            let tree = try await SupervisorHandle.start(spec)
            let elapsed = started.duration(to: clock.now)
            benchmark.stopMeasurement()
            let mallocAfter = MemoryProbe.mallocInUse() ?? 0
            let residentAfter = MemoryProbe.residentBytes() ?? 0
            benchmark.measurement(nanosecondsPerChild, Int(elapsed / .nanoseconds(1)) / count)
            benchmark.measurement(bytesPerChild, (mallocAfter - mallocBefore) / count)
            benchmark.measurement(residentBytesPerChild, max(0, residentAfter - residentBefore) / count)
            await tree.shutdown()
        }
    }

    // 4. one-for-all, 100 children: one crash → all 100 restarted.
    do {
        let fixture = OneForAllFixture(children: 100)
        Benchmark(
            "one-for-all round, 100 children",
            configuration: .init(warmupIterations: 10, maxDuration: .seconds(5), maxIterations: 2_000)
        ) { benchmark in
            benchmark.startMeasurement()
            await fixture.runRound()
            benchmark.stopMeasurement()
        } setup: {
            try await fixture.start()
        } teardown: {
            await fixture.stop()
        }
    }

    // 5. depth-3 fan-out-10 tree (1,111 nodes): start, full snapshot, shutdown.
    let treeMetrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal, .memoryLeakedBytes]
    Benchmark(
        "tree 1111 nodes: start",
        configuration: .init(metrics: treeMetrics, warmupIterations: 3, maxDuration: .seconds(5), maxIterations: 300)
    ) { benchmark in
        let spec = DeepTree.spec()
        benchmark.startMeasurement()
        let tree = try await SupervisorHandle.start(spec)
        benchmark.stopMeasurement()
        await tree.shutdown()
    }

    let snapshotTree = TreeHolder()
    Benchmark(
        "tree 1111 nodes: snapshot",
        configuration: .init(metrics: treeMetrics, warmupIterations: 10, maxDuration: .seconds(5), maxIterations: 5_000)
    ) { benchmark in
        let tree = snapshotTree.handle
        benchmark.startMeasurement()
        let snapshot = tree.snapshot()
        benchmark.stopMeasurement()
        blackHole(snapshot)
    } setup: {
        try await snapshotTree.start(DeepTree.spec())
        let nodes = snapshotTree.handle.snapshot().allNodes.count
        precondition(nodes == DeepTree.nodeCount(fanOut: 10), "expected 1111 nodes, got \(nodes)")
    } teardown: {
        await snapshotTree.stop()
    }

    Benchmark(
        "tree 1111 nodes: shutdown",
        configuration: .init(metrics: treeMetrics, warmupIterations: 3, maxDuration: .seconds(5), maxIterations: 300)
    ) { benchmark in
        let tree = try await SupervisorHandle.start(DeepTree.spec())
        benchmark.startMeasurement()
        await tree.shutdown()
        benchmark.stopMeasurement()
    }

    // 7. the dashboard: model → styled lines for a 10k-node tree (one frame, 160 × 48).
    let dashboardState = DashboardFixture.state()
    Benchmark(
        "dashboard frame, 10k-node tree",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 10, maxDuration: .seconds(5), maxIterations: 2_000)
    ) { benchmark in
        benchmark.startMeasurement()
        let frame = Renderer.render(dashboardState, width: 160, height: 48)
        benchmark.stopMeasurement()
        blackHole(frame)
    }

    // 8. the dashboard: applying 100k events (crash → intensity → restart → started) to the model.
    let eventSnapshot = DashboardFixture.snapshot()
    let events = DashboardFixture.events(100_000, after: eventSnapshot)
    Benchmark(
        "dashboard apply 100k events",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], warmupIterations: 2, maxDuration: .seconds(10), maxIterations: 50)
    ) { benchmark in
        var state = DashboardFixture.state(eventSnapshot)
        benchmark.startMeasurement()
        state.apply(.events(node: 0, events))
        benchmark.stopMeasurement()
        blackHole(state)
    }

    // R1–R3. the remote layer over a Unix socket (RemoteBenchmarks.swift).
    remoteBenchmarks()
}
