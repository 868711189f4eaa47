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
