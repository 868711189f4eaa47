/// What a follower of a child's log receives.
public enum ChildLogEntry: Hashable, Sendable {
    /// The next line.
    case line(LogLine)
    /// The follower fell behind and `missed` lines fell off the ring before it read them; the
    /// next line has the number after the ones it missed.
    case lagged(missed: UInt64)
}
