/// The delay before a child is restarted: exponential, capped, with optional jitter.
///
/// The delay for the n-th consecutive restart (counting from 0) is
/// `min(initial × 2ⁿ, maximum)`, stretched by up to `jitter` × itself at random. The count resets
/// when the child exits after running for at least ``resetAfter``.
public struct Backoff: Hashable, Sendable, CustomStringConvertible {
    /// The delay before the first restart.
    public var initial: Duration
    /// The cap on the delay (before jitter).
    public var maximum: Duration
    /// A fraction in `0...1`: the delay is multiplied by `1 + jitter × r` for a random `r` in `0..<1`.
    public var jitter: Double
    /// A run at least this long resets the restart count.
    public var resetAfter: Duration

    /// Creates a backoff; see ``exponential(initial:maximum:jitter:resetAfter:)``.
    public init(initial: Duration, maximum: Duration, jitter: Double = 0, resetAfter: Duration? = nil) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
        self.resetAfter = resetAfter ?? maximum
    }

    /// Restart at once.
    public static let none = Backoff(initial: .zero, maximum: .zero)

    /// 100 ms doubling up to 30 s, reset after 30 s of healthy running (the Rust crate's default).
    public static let `default` = Backoff.exponential(initial: .milliseconds(100), maximum: .seconds(30))

    /// An exponential backoff from `initial` doubling up to `maximum`.
    public static func exponential(
        initial: Duration, maximum: Duration, jitter: Double = 0, resetAfter: Duration? = nil
    ) -> Backoff {
        Backoff(initial: initial, maximum: maximum, jitter: jitter, resetAfter: resetAfter)
    }

    /// Whether this backoff never delays.
    public var isNone: Bool { initial == .zero && maximum == .zero }

    /// The delay before restart number `attempt` (0-based); `random` is in `0..<1`.
    ///
    /// Never overflows: any attempt past the cap gives `maximum` (plus jitter).
    public func delay(forAttempt attempt: UInt32, random: Double) -> Duration {
        guard !isNone else { return .zero }
        let base = Double(initial.nanoseconds) * Double(sign: .plus, exponent: Int(attempt), significand: 1)
        let capped = min(base, Double(maximum.nanoseconds))
        let jittered = capped * (1 + jitter * min(max(random, 0), 1))
        // Double(Int64.max) rounds up to 2⁶³, which Int64 cannot hold: compare strictly below it.
        return jittered < 0x1p63 ? .nanoseconds(Int64(jittered)) : .nanoseconds(Int64.max)
    }

    public var description: String {
        isNone ? "none" : "\(initial)…\(maximum)" + (jitter > 0 ? " ±\(Int(jitter * 100))%" : "")
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? .max : sum
    }
}
