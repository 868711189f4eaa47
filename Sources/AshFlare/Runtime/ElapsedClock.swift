/// An injected clock, type-erased, in time since the clock was wrapped: a tree's (every instant
/// the engine records or reports is a `Duration` since the tree's start, so snapshots and events
/// are the same whatever clock drives the tree) and a remote server's (its handshake and idle
/// timeouts, which tests drive with a manual clock instead of waiting).
package struct ElapsedClock: Sendable {
    /// The time since the clock was wrapped.
    package let now: @Sendable () -> Duration
    /// Sleeps until the given time since the clock was wrapped; throws when cancelled.
    package let sleep: @Sendable (_ until: Duration) async throws -> Void

    /// Wraps `clock`; its current instant becomes zero.
    package init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        now = { start.duration(to: clock.now) }
        sleep = { deadline in try await clock.sleep(until: start.advanced(by: deadline), tolerance: nil) }
    }
}

/// A source of random numbers in `0..<1` for backoff jitter; inject a seeded one in tests.
public struct RandomSource: Sendable {
    private let next: @Sendable () -> Double

    /// Creates a source from a closure returning values in `0..<1`.
    public init(_ next: @escaping @Sendable () -> Double) { self.next = next }

    /// The system's random number generator.
    public static let system = RandomSource { Double.random(in: 0..<1) }

    /// A deterministic source (SplitMix64) for reproducible jitter.
    public static func seeded(_ seed: UInt64) -> RandomSource {
        let state = Locked(seed)
        return RandomSource {
            let bits = state.withLock { (value: inout UInt64) -> UInt64 in
                value &+= 0x9E37_79B9_7F4A_7C15
                var z = value
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
            return Double(bits >> 11) / Double(1 << 53)
        }
    }

    /// The next value in `0..<1`.
    public func callAsFunction() -> Double { next() }
}
