import AshFlare
import AshFlareTestKit
import Logging
import Synchronization

/// One run: a tree with one worker, a writer appending `lines` lines into the worker's log (at
/// `rate` lines/s, or as fast as it can), and perhaps a follower reading them.
struct LogScenario {
    enum Follower { case none, keepingUp, stalling }
    enum Writer { case append, logger }

    struct Result {
        var linesPerSecond: Double
        var latency: String
        var received: Int
        var missed: UInt64
        var missedCounted: UInt64
    }

    let lines: Int
    let rate: Int?
    let follower: Follower
    let writer: Writer

    func run() async throws -> Result {
        let captured = Mutex<ChildLog?>(nil)
        let spec = SupervisorSpec("bench") {
            ChildSpec.worker("writer") { context in
                captured.withLock { $0 = context.log }
                return IdleWorker()
            }
        }
        let tree = try await SupervisorHandle.start(spec)
        guard let log = captured.withLock({ $0 }) else { fatalError("the worker got no log") }
        let follow = try tree.followLog(of: "bench/writer")
        let reader: Task<(Int, UInt64), Never>? = follower == .none ? nil : Task.detached { [follower] in
            var received = 0, missed: UInt64 = 0
            for await entry in follow {
                switch entry {
                case .line(let line):
                    received += 1
                    if follower == .stalling, received % 1000 == 0 { try? await Task.sleep(for: .milliseconds(1)) }
                    if line.sequence == UInt64(lines) { return (received, missed) }
                case .lagged(let count):
                    missed += count
                }
            }
            return (received, missed)
        }
        let logger = Logger(label: "bench", factory: { _ in ChildLogHandler(log: log) })
        let text = String(repeating: "x", count: 90)
        var worst = Duration.zero
        var samples: [Duration] = []
        samples.reserveCapacity(lines / 64 + 1)
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<lines {
            if let rate {
                let due = start + .nanoseconds(Int64(index) * 1_000_000_000 / Int64(rate))
                while clock.now < due {}
            }
            let before = clock.now
            switch writer {
            case .append: log.append("\(index) \(text)", stream: .stdout)
            case .logger: logger.info("\(index) \(text)")
            }
            let took = before.duration(to: clock.now)
            if took > worst { worst = took }
            if index % 64 == 0 { samples.append(took) }
        }
        let elapsed = start.duration(to: clock.now)
        let (received, missed) = await reader?.value ?? (0, 0)
        let counted = try tree.logTail(of: "bench/writer", scope: .all, limit: 0).missedByFollowers
        await tree.shutdown()
        samples.sort()
        func micros(_ d: Duration) -> String {
            let value = Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
            return value < 10 ? String(format: value) : "\(Int(value))"
        }
        let latency = "\(micros(samples[samples.count / 2])) / \(micros(samples[samples.count * 99 / 100])) / \(micros(worst)) µs"
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(linesPerSecond: Double(lines) / seconds, latency: latency, received: received, missed: missed, missedCounted: counted)
    }
}

/// A value with two decimals, without Foundation.
private func String(format value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
