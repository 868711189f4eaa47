import AshFlare

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

/// Accepts simulated requests and counts them in the shop's context store.
struct Acceptor: Worker {
    let store: WorkerContext

    func run() async throws {
        while true {
            try await Task.sleep(for: .milliseconds(Int64.random(in: 200...600)))
            store.update("requests") { .int(($0?.intValue ?? 0) + 1) }
        }
    }
}

/// A payments gateway that times out now and then, counting payments until it does.
struct FlakyGateway: Worker {
    let meanTimeToFailure: Duration
    let store: WorkerContext

    func run() async throws {
        let millis = Double(meanTimeToFailure.components.seconds) * 1000
            + Double(meanTimeToFailure.components.attoseconds) / 1e15
        let clock = ContinuousClock()
        let failAt = clock.now + .milliseconds(Int64(Double.random(in: 0.5...1.5) * millis))
        while clock.now < failAt {
            try await Task.sleep(for: .milliseconds(300))
            store.update("payments.ok") { .int(($0?.intValue ?? 0) + 1) }
        }
        store.update("payments.failed") { .int(($0?.intValue ?? 0) + 1) }
        throw WorkerError(["gateway timeout", "connection reset by peer", "HTTP 503 from acquirer"].randomElement()!)
    }
}

/// Keeps a count of active sessions in the context store, so it survives restarts.
struct SessionStore: Worker {
    let store: WorkerContext

    func run() async throws {
        while true {
            try await Task.sleep(for: .seconds(1))
            store.update("sessions.active") { value in
                .int(max(0, (value?.intValue ?? 20) + Int64.random(in: -3...3)))
            }
        }
    }
}

/// Reports metrics until it is stopped; temporary, so it is never restarted.
struct MetricsReporter: Worker {
    let store: WorkerContext

    func run() async throws {
        while true {
            try await Task.sleep(for: .seconds(2))
            store.update("metrics.reports") { .int(($0?.intValue ?? 0) + 1) }
        }
    }
}

/// A transient job that finishes normally after `duration`.
struct Job: Worker {
    let duration: Duration

    func run() async throws { try await Task.sleep(for: duration) }
}

/// A bridge stuck in a blocking call: it ignores cancellation, so its supervisor abandons it
/// after the shutdown timeout. It finishes on its own a few seconds later.
struct LegacyBridge: Worker {
    func run() async throws {
        var graceAfterCancel = 6
        while graceAfterCancel > 0 {
            // A wait that cancellation cannot cut short (like a blocking C call).
            await Task.detached { try? await Task.sleep(for: .milliseconds(500)) }.value
            if Task.isCancelled { graceAfterCancel -= 1 }
        }
    }
}
