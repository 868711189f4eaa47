/// One line of a child's log, numbered and stamped.
///
/// Sequence numbers are per child and increase by one per line across every incarnation, so a
/// reader can tell it saw every line: the line after number `n` is `n + 1`.
public struct LogLine: Hashable, Sendable {
    /// The line's number in its child's log: 1 for the first line ever written.
    public var sequence: UInt64
    /// The incarnation that wrote it.
    public var incarnation: UInt64
    /// When it was written, on the tree's clock (time since the tree started).
    public var time: Duration
    /// Where it came from.
    public var stream: LogStream
    /// The text, without its newline; at most ``LogLimits/maxLineBytes`` bytes of UTF-8.
    public var text: String
    /// How many bytes were cut off the end of a long line (0 for a whole line).
    public var cutBytes: Int

    /// Creates a line.
    public init(sequence: UInt64, incarnation: UInt64, time: Duration, stream: LogStream, text: String, cutBytes: Int = 0) {
        self.sequence = sequence
        self.incarnation = incarnation
        self.time = time
        self.stream = stream
        self.text = text
        self.cutBytes = cutBytes
    }

    /// Whether the line was cut to ``LogLimits/maxLineBytes``.
    public var isCut: Bool { cutBytes > 0 }

    /// The text as a person should read it: a cut line ends with `…[+N bytes]`.
    public var displayText: String { isCut ? "\(text)…[+\(cutBytes) bytes]" : text }

    /// `text` cut to at most `maxBytes` bytes of UTF-8 at a character boundary, and how many
    /// bytes were cut off.
    static func cut(_ text: String, toBytes maxBytes: Int) -> (text: String, cutBytes: Int) {
        let utf8 = text.utf8
        let total = utf8.count
        guard total > maxBytes else { return (text, 0) }
        // Back off to the start of a Unicode scalar (never split a multi-byte sequence).
        var end = utf8.index(utf8.startIndex, offsetBy: max(0, maxBytes))
        while end > utf8.startIndex, end < utf8.endIndex, utf8[end] & 0b1100_0000 == 0b1000_0000 {
            end = utf8.index(before: end)
        }
        let kept = String(text[..<end])
        return (kept, total - kept.utf8.count)
    }
}

/// How much of a child's log is kept: the ring is bounded by lines **and** bytes.
public struct LogLimits: Hashable, Sendable {
    /// The most lines kept per child.
    public var maxLines: Int
    /// The most bytes of text kept per child (the newest line is always kept).
    public var maxBytes: Int
    /// Longer lines are cut to this many bytes and marked (``LogLine/cutBytes``).
    public var maxLineBytes: Int

    /// Creates limits; the defaults keep 1,000 lines or 256 KiB per child, lines up to 8 KiB.
    public init(maxLines: Int = 1_000, maxBytes: Int = 256 * 1024, maxLineBytes: Int = 8 * 1024) {
        self.maxLines = max(1, maxLines)
        self.maxBytes = max(1, maxBytes)
        self.maxLineBytes = max(1, maxLineBytes)
    }
}

/// Which of a child's lines a tail returns.
public enum LogScope: String, Hashable, Sendable, CaseIterable {
    /// Every line in the ring, whichever incarnation wrote it.
    case all
    /// The lines of the child's current (or, while it is stopped, last) incarnation.
    case current
    /// The lines of the incarnation before the current one: after a crash and restart, the
    /// crashed incarnation's last words.
    case previous
}

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

/// What a follower of a child's log receives.
public enum ChildLogEntry: Hashable, Sendable {
    /// The next line.
    case line(LogLine)
    /// The follower fell behind and `missed` lines fell off the ring before it read them; the
    /// next line has the number after the ones it missed.
    case lagged(missed: UInt64)
}
