import AshFlare

/// When a supervisor will give up if its children keep failing at the pace of its current
/// intensity window: pure arithmetic on the window's restart instants.
///
/// With `k` restarts in the window spaced `gap` apart on average, `maxRestarts + 1 - k` more at
/// that pace exceed the limit — but only if that pace keeps `maxRestarts + 1` restarts inside
/// one period (`gap × maxRestarts < period`); otherwise the window drains as fast as it fills
/// and there is no forecast.
public enum EscalationForecast {
    /// The time from `now` until the supervisor escalates at the current pace, or nil when the
    /// window is less than half full or the pace does not lead to escalation.
    /// - Parameters:
    ///   - window: Restart instants (tree time), any order; those older than `period` are ignored.
    ///   - intensity: The supervisor's limit.
    ///   - now: The current tree time.
    public static func timeToEscalation(window: [Duration], intensity: RestartIntensity, now: Duration) -> Duration? {
        let recent = window.filter { now - $0 < intensity.period }.sorted()
        let limit = intensity.maxRestarts
        guard let first = recent.first, let last = recent.last, recent.count * 2 >= limit else { return nil }
        let needed = limit + 1 - recent.count
        if needed <= 0 { return .zero }
        let gap = recent.count >= 2 ? (last - first) / (recent.count - 1) : now - first
        guard gap > .zero, gap * limit < intensity.period else { return nil }
        return max(.zero, last + gap * needed - now)
    }
}
