import ArgumentParser
import AshFlare
import Logging

/// `flare-logbench`: how many lines per second a child can write into its log ring with a
/// follower keeping up, and what happens above that rate (lines missed and counted; the writer
/// never blocked). A tool, not a test: it measures wall-clock rates on a real tree.
///
/// ```sh
/// swift build -c release --product flare-logbench && .build/release/flare-logbench
/// ```
@main
struct FlareLogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flare-logbench",
        abstract: "Measure a child's log ring: write rate, follower keeping up, what is missed above it.")

    @Option(help: "Lines written per scenario.")
    var lines = 400_000

    @Option(help: "Paced write rates to try, in lines per second (comma-separated).")
    var rates = "10000,50000,100000,250000,500000,1000000"

    @Option(help: "Rounds per scenario (the median is reported).")
    var rounds = 3

    func run() async throws {
        let paced = rates.split(separator: ",").compactMap { Int($0) }
        print("flare-logbench: \(lines) lines of ~100 bytes per scenario, ring of \(LogLimits().maxLines) lines, median of \(rounds) rounds")
        print("")
        print("| scenario | written lines/s | append p50 / p99 / max | follower received | missed (counted) |")
        print("|---|---|---|---|---|")
        try await report("append, no follower", rate: nil, follower: .none, via: .append)
        try await report("routed Logger, no follower", rate: nil, follower: .none, via: .logger)
        try await report("append, follower", rate: nil, follower: .keepingUp, via: .append)
        try await report("routed Logger, follower", rate: nil, follower: .keepingUp, via: .logger)
        for rate in paced {
            try await report("append at \(rate)/s, follower", rate: rate, follower: .keepingUp, via: .append)
        }
        try await report("append, follower stalled 1 ms per 1000 lines", rate: nil, follower: .stalling, via: .append)
    }

    private func report(_ name: String, rate: Int?, follower: LogScenario.Follower, via: LogScenario.Writer) async throws {
        var results: [LogScenario.Result] = []
        for _ in 0..<rounds {
            results.append(try await LogScenario(lines: lines, rate: rate, follower: follower, writer: via).run())
        }
        let result = results.sorted { $0.linesPerSecond < $1.linesPerSecond }[results.count / 2]
        let received = follower == .none ? "—" : "\(result.received)"
        let missed = follower == .none ? "—" : "\(result.missed) (\(result.missedCounted))"
        print("| \(name) | \(Int(result.linesPerSecond)) | \(result.latency) | \(received) | \(missed) |")
    }
}
