/// Short human forms of durations: `0s`, `250ms`, `1.5s`, `2m30s`, `3h5m`.
enum DurationText {
    /// The short form of `duration`, rounded to what a person reads.
    static func short(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds < 0 { return "-" + short(.zero - duration) }
        if milliseconds == 0 { return "0s" }
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds < 60_000 {
            let tenths = (milliseconds + 50) / 100
            return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
        }
        let totalSeconds = milliseconds / 1000
        if totalSeconds < 3600 {
            let rest = totalSeconds % 60
            return rest == 0 ? "\(totalSeconds / 60)m" : "\(totalSeconds / 60)m\(rest)s"
        }
        let minutes = (totalSeconds % 3600) / 60
        return minutes == 0 ? "\(totalSeconds / 3600)h" : "\(totalSeconds / 3600)h\(minutes)m"
    }

    /// Time since the tree started with millisecond precision: `+12.345s`.
    static func offset(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        let fraction = String(milliseconds)
        return "+\(seconds).\(String(repeating: "0", count: max(0, 3 - fraction.count)))\(fraction)s"
    }
}
