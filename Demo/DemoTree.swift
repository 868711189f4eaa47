import AshFlare

/// The demo's tree: a small shop backend.
enum DemoTree {
    static func spec(failEvery: Duration) -> SupervisorSpec {
        SupervisorSpec("shop", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 5, within: .seconds(10))) {
            ChildSpec.worker("acceptor") { Ticker(every: .milliseconds(500)) }
            SupervisorSpec("db", strategy: .restForOne) {
                ChildSpec.worker("conn-manager") { Ticker(every: .seconds(1)) }
                ChildSpec.worker("pool") { Ticker(every: .milliseconds(250)) }
            }
            ChildSpec.worker("payments", backoff: .exponential(initial: .milliseconds(200), maximum: .seconds(5), jitter: 0.2)) {
                FlakyGateway(meanTimeToFailure: failEvery)
            }
            ChildSpec.worker("cache", restart: .transient) { Ticker(every: .seconds(2)) }
        }
    }
}

/// Does a little work on a fixed period until cancelled.
struct Ticker: Worker {
    let every: Duration
    var ticks = 0

    mutating func run() async throws {
        while true {
            try await Task.sleep(for: every)
            ticks += 1
        }
    }
}

/// A payments gateway that times out now and then.
struct FlakyGateway: Worker {
    let meanTimeToFailure: Duration

    func run() async throws {
        let millis = Double(meanTimeToFailure.components.seconds) * 1000
            + Double(meanTimeToFailure.components.attoseconds) / 1e15
        try await Task.sleep(for: .milliseconds(Int64(Double.random(in: 0.5...1.5) * millis)))
        throw WorkerError(["gateway timeout", "connection reset by peer", "HTTP 503 from acquirer"].randomElement()!)
    }
}
