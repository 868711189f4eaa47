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
