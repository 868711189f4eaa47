/// The server's injected clock, type-erased, in time since the server was created.
///
/// Handshake and idle timeouts run on it, so tests drive them with a manual clock instead of
/// waiting.
struct ServerClock: Sendable {
    /// The time since the server was created.
    let now: @Sendable () -> Duration
    /// Sleeps until the given time since the server was created; throws when cancelled.
    let sleep: @Sendable (_ until: Duration) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        now = { start.duration(to: clock.now) }
        sleep = { deadline in try await clock.sleep(until: start.advanced(by: deadline), tolerance: nil) }
    }
}
