/// The last lines of a child's log, and where the log stands.
public struct LogTail: Hashable, Sendable {
    /// The lines, oldest first.
    public var lines: [LogLine]
    /// The child's current (or last) incarnation; ``LogScope/previous`` is the one before it.
    public var incarnation: UInt64
    /// The number the next line will have: follow from here to miss nothing.
    public var nextSequence: UInt64
    /// Lines that fell off the ring (past its line or byte bound) since the child was added.
    public var evictedLines: UInt64
    /// Lines followers missed because they read slower than the child wrote (each follower's
    /// misses counted once, as it learns of them).
    public var missedByFollowers: UInt64

    /// Creates a tail.
    public init(lines: [LogLine], incarnation: UInt64, nextSequence: UInt64, evictedLines: UInt64, missedByFollowers: UInt64) {
        self.lines = lines
        self.incarnation = incarnation
        self.nextSequence = nextSequence
        self.evictedLines = evictedLines
        self.missedByFollowers = missedByFollowers
    }
}
