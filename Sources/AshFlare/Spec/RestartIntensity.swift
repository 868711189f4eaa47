/// The most restarts a supervisor may perform within a sliding time window.
///
/// More than ``maxRestarts`` restarts within ``period`` make the supervisor give up: it stops all
/// its children in reverse order and fails, and its parent treats that as a child failure
/// (escalation). A one-for-all or rest-for-one round counts as one restart.
public struct RestartIntensity: Hashable, Sendable, CustomStringConvertible {
    /// The number of restarts allowed within ``period``; one more escalates.
    public var maxRestarts: Int
    /// The length of the sliding window.
    public var period: Duration

    /// Creates an intensity of `maxRestarts` restarts within `period`.
    public init(maxRestarts: Int, within period: Duration) {
        self.maxRestarts = maxRestarts
        self.period = period
    }

    /// Three restarts in five seconds, as in the Rust crate and Elixir.
    public static let `default` = RestartIntensity(maxRestarts: 3, within: .seconds(5))

    /// Whether a restart at `instant` still counts against the intensity at `now`.
    ///
    /// OTP's `add_restart/3` keeps a restart exactly one period old (`R >= Now - Period`), so
    /// the window is closed at both ends: `now - instant <= period`. The engine, its snapshots
    /// and every client (the dashboard's gauges) ask this one function.
    public func window(contains instant: Duration, at now: Duration) -> Bool {
        now - instant <= period
    }

    /// Whether `restarts` restarts inside the window exceed the intensity (OTP gives up at
    /// `maxRestarts + 1`): the supervisor stops its children and fails.
    public func isExceeded(byRestarts restarts: Int) -> Bool { restarts > maxRestarts }

    public var description: String { "\(maxRestarts) in \(period)" }
}
