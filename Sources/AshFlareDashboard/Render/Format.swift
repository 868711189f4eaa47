import AshFlare

/// Short human forms of durations and times used across the frame.
public enum Format {
    /// `850ms`, `1.2s`, `45s`, `2m13s`, `1h02m`, `3d04h`.
    public static func duration(_ duration: Duration) -> String {
        let millis = max(0, milliseconds(duration))
        if millis < 1000 { return "\(millis)ms" }
        if millis < 10_000 { return "\(millis / 1000).\(millis % 1000 / 100)s" }
        let seconds = millis / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(two(seconds % 60))s" }
        if seconds < 86_400 { return "\(seconds / 3600)h\(two(seconds % 3600 / 60))m" }
        return "\(seconds / 86_400)d\(two(seconds % 86_400 / 3600))h"
    }

    /// A compact period: `5s`, `500ms`, `2m`.
    public static func period(_ duration: Duration) -> String {
        let millis = milliseconds(duration)
        if millis % 60_000 == 0, millis >= 60_000 { return "\(millis / 60_000)m" }
        if millis % 1000 == 0 { return "\(millis / 1000)s" }
        return "\(millis)ms"
    }

    /// A tree time stamp with milliseconds: `12.345`, `2:03.456`, `1:02:03.456`.
    public static func stamp(_ time: Duration) -> String {
        let millis = max(0, milliseconds(time))
        let seconds = millis / 1000
        let fraction = three(millis % 1000)
        if seconds < 60 { return "\(seconds).\(fraction)" }
        if seconds < 3600 { return "\(seconds / 60):\(two(seconds % 60)).\(fraction)" }
        return "\(seconds / 3600):\(two(seconds % 3600 / 60)):\(two(seconds % 60)).\(fraction)"
    }

    /// Whole milliseconds, rounded down.
    public static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled + attoseconds / 1_000_000_000_000_000
    }

    /// A restart policy's short name: `perm`, `trans`, `temp`.
    public static func policy(_ policy: RestartPolicy) -> String {
        switch policy {
        case .permanent: "perm"
        case .transient: "trans"
        case .temporary: "temp"
        }
    }

    /// A strategy's short name: `1:1`, `1:all`, `rest`.
    public static func strategy(_ strategy: RestartStrategy) -> String {
        switch strategy {
        case .oneForOne: "1:1"
        case .oneForAll: "1:all"
        case .restForOne: "rest"
        }
    }

    /// A strategy's long name: `one-for-one`, …
    public static func strategyName(_ strategy: RestartStrategy) -> String {
        switch strategy {
        case .oneForOne: "one-for-one"
        case .oneForAll: "one-for-all"
        case .restForOne: "rest-for-one"
        }
    }

    /// A shutdown policy: `timeout 5s`, `brutal`, `infinity`.
    public static func shutdown(_ policy: ShutdownPolicy) -> String {
        switch policy {
        case .timeout(let limit): "timeout \(period(limit))"
        case .brutal: "brutal"
        case .infinity: "infinity"
        }
    }

    /// A backoff: `none`, `200ms…5s ±20%`.
    public static func backoff(_ backoff: Backoff, ascii: Bool) -> String {
        if backoff.isNone { return "none" }
        let range = period(backoff.initial) + (ascii ? ".." : "…") + period(backoff.maximum)
        return backoff.jitter > 0 ? range + (ascii ? " +-" : " ±") + "\(Int((backoff.jitter * 100).rounded()))%" : range
    }

    /// A size in bytes with one decimal: `812 B`, `4.0 KiB`, `12.3 MiB`, `1.2 GiB`.
    public static func bytes(_ count: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : "\(tenths(value)) \(units[unit])"
    }

    /// A percentage with one decimal: `0.3%`, `112.0%`.
    public static func percent(_ value: Double) -> String { "\(tenths(value))%" }

    /// `value` rounded to one decimal, as text (no Foundation).
    private static func tenths(_ value: Double) -> String {
        let scaled = Int64((max(0, value) * 10).rounded())
        return "\(scaled / 10).\(scaled % 10)"
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private static func three(_ value: Int64) -> String { value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)" }
}
