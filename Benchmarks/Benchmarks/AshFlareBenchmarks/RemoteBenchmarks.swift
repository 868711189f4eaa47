import AshFlare
import Benchmark
import BenchmarkScenarios

/// Events a client received per iteration of the throughput scenario.
let eventsReceived = BenchmarkMetric.custom("events received", polarity: .prefersLarger, useScalingFactor: false)

/// Remote scenarios (docs/BENCHMARKS.md, "Remote"): a tree served on a Unix socket in this
/// process, a `RemoteSupervisor` connected to it; setup and teardown are not measured.
func remoteBenchmarks() {
    // R1. snapshot of the 1,111-node tree, round trip (request, server snapshot + encode, client decode).
    let snapshot = RemoteFixture()
    Benchmark(
        "remote snapshot 1111 nodes (unix socket)",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 20, maxDuration: .seconds(5), maxIterations: 5_000)
    ) { benchmark in
        benchmark.startMeasurement()
        blackHole(try await RemoteSnapshot.run(snapshot))
        benchmark.stopMeasurement()
    } setup: {
        try await RemoteSnapshot.start(snapshot)
    } teardown: {
        await snapshot.stop()
    }

    // R2. event stream throughput: 100 one-for-all rounds of 100 children (about 40,000 events) per iteration.
    let burst = RemoteEventBurst(children: 100)
    Benchmark(
        "remote event stream, 100 one-for-all rounds (unix socket)",
        configuration: .init(metrics: [.wallClock, .throughput, eventsReceived], warmupIterations: 2, maxDuration: .seconds(10), maxIterations: 50)
    ) { benchmark in
        benchmark.startMeasurement()
        let received = try await burst.run(rounds: 100)
        benchmark.stopMeasurement()
        benchmark.measurement(eventsReceived, received)
    } setup: {
        try await burst.start()
    } teardown: {
        await burst.stop()
    }

    // R2b. the remote path's own capacity: bursts of 100,000 ready-made events from a synthetic source.
    let capacity = RemoteEventCapacity(burst: 100_000)
    Benchmark(
        "remote event capacity, 100k-event bursts (unix socket)",
        configuration: .init(metrics: [.wallClock, .throughput, eventsReceived], warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 20)
    ) { benchmark in
        benchmark.startMeasurement()
        let received = try await capacity.run()
        benchmark.stopMeasurement()
        benchmark.measurement(eventsReceived, received)
    } setup: {
        try await capacity.start()
    } teardown: {
        await capacity.stop()
    }

    // R3. request latency of kill, round-robin over 200 children that restart at once.
    let kill = RemoteKill(children: 200)
    Benchmark(
        "remote kill request (unix socket)",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 200, maxDuration: .seconds(5), maxIterations: 20_000)
    ) { benchmark in
        benchmark.startMeasurement()
        try await kill.killNext()
        benchmark.stopMeasurement()
    } setup: {
        try await kill.start()
    } teardown: {
        await kill.stop()
    }
}
