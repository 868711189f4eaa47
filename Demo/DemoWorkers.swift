import AshFlare
import Logging

/// The clock every demo worker waits on: the real one in `flare-demo`, injectable anywhere else.
typealias DemoClock = any Clock<Duration>

/// Does a little work on a fixed period until cancelled.
struct Ticker: Worker {
    let every: Duration
    let clock: DemoClock
    var ticks = 0

    init(every: Duration, clock: DemoClock) {
        self.every = every
        self.clock = clock
    }

    mutating func run() async throws {
        while true {
            try await clock.sleep(for: every)
            ticks += 1
        }
    }
}

/// Accepts simulated requests, counts them in the shop's context store and logs each one
/// through its routed `Logger` (shown with the node: the detail pane, `flare logs`).
struct Acceptor: Worker {
    let store: WorkerContext
    let clock: DemoClock
    let logger: Logger

    func run() async throws {
        logger.info("listening")
        while true {
            try await clock.sleep(for: .milliseconds(Int64.random(in: 200...600)))
            let total = store.update("requests") { .int(($0?.intValue ?? 0) + 1) }
            logger.info("GET /\(["cart", "checkout", "products", "search"].randomElement()!) 200", metadata: ["request": "\(total?.intValue ?? 0)"])
        }
    }
}

/// A payments gateway that times out now and then, counting payments until it does.
struct FlakyGateway: Worker {
    let meanTimeToFailure: Duration
    let store: WorkerContext
    let clock: DemoClock
    let logger: Logger

    /// One payment per tick.
    static let tick = Duration.milliseconds(300)

    func run() async throws {
        let ticks = Int((meanTimeToFailure * Double.random(in: 0.5...1.5)) / Self.tick)
        logger.info("connected to the acquirer")
        for payment in 0..<ticks {
            try await clock.sleep(for: Self.tick)
            store.update("payments.ok") { .int(($0?.intValue ?? 0) + 1) }
            logger.info("payment authorised", metadata: ["payment": "\(payment + 1)"])
        }
        store.update("payments.failed") { .int(($0?.intValue ?? 0) + 1) }
        let failure = ["gateway timeout", "connection reset by peer", "HTTP 503 from acquirer"].randomElement()!
        logger.error("giving up: \(failure)")
        throw WorkerError(failure)
    }
}

/// Keeps a count of active sessions in the context store, so it survives restarts.
struct SessionStore: Worker {
    let store: WorkerContext
    let clock: DemoClock

    func run() async throws {
        while true {
            try await clock.sleep(for: .seconds(1))
            store.update("sessions.active") { value in
                .int(max(0, (value?.intValue ?? 20) + Int64.random(in: -3...3)))
            }
        }
    }
}

/// Reports metrics until it is stopped; temporary, so it is never restarted.
struct MetricsReporter: Worker {
    let store: WorkerContext
    let clock: DemoClock

    func run() async throws {
        while true {
            try await clock.sleep(for: .seconds(2))
            store.update("metrics.reports") { .int(($0?.intValue ?? 0) + 1) }
        }
    }
}

/// A transient job that finishes normally after `duration`.
struct Job: Worker {
    let duration: Duration
    let clock: DemoClock

    func run() async throws { try await clock.sleep(for: duration) }
}

/// A bridge stuck in a blocking call: it ignores cancellation, so its supervisor abandons it
/// after the shutdown timeout. It finishes on its own a few seconds later.
struct LegacyBridge: Worker {
    let clock: DemoClock

    func run() async throws {
        var graceAfterCancel = 6
        while graceAfterCancel > 0 {
            // A wait that cancellation cannot cut short (like a blocking C call).
            let clock = self.clock
            await Task.detached { try? await clock.sleep(for: .milliseconds(500)) }.value
            if Task.isCancelled { graceAfterCancel -= 1 }
        }
    }
}
