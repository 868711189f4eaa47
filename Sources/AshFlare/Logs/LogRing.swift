/// The pure ring of one child's log lines: bounded by lines and bytes, numbered, no locking.
///
/// Lines are kept in an array with a moving head (amortised O(1) append and evict), so the
/// line with a given sequence number is found by subtraction.
struct LogRing: Sendable {
    let limits: LogLimits
    private var storage: [LogLine] = []
    private var head = 0
    /// Bytes of text held.
    private(set) var bytes = 0
    /// The number the next line gets.
    private(set) var nextSequence: UInt64 = 1
    /// Lines that fell off the ring.
    private(set) var evicted: UInt64 = 0

    init(limits: LogLimits) { self.limits = limits }

    /// Lines held.
    var count: Int { storage.count - head }

    /// The number of the oldest line held (``nextSequence`` when empty).
    var firstSequence: UInt64 { nextSequence - UInt64(count) }

    /// Appends a line, cutting it to the line limit, and evicts the oldest lines past the bounds.
    @discardableResult
    mutating func append(_ text: String, stream: LogStream, incarnation: UInt64, time: Duration) -> LogLine {
        let (kept, cutBytes) = LogLine.cut(text, toBytes: limits.maxLineBytes)
        let line = LogLine(sequence: nextSequence, incarnation: incarnation, time: time, stream: stream, text: kept, cutBytes: cutBytes)
        nextSequence += 1
        storage.append(line)
        bytes += kept.utf8.count
        while count > limits.maxLines || (bytes > limits.maxBytes && count > 1) {
            bytes -= storage[head].text.utf8.count
            head += 1
            evicted += 1
        }
        if head > 64, head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return line
    }

    /// The line numbered `sequence`, if the ring still holds it.
    func line(_ sequence: UInt64) -> LogLine? {
        guard sequence >= firstSequence, sequence < nextSequence else { return nil }
        return storage[head + Int(sequence - firstSequence)]
    }

    /// The newest `limit` lines (all when nil) of `scope`, oldest first.
    func lines(_ scope: LogScope, current incarnation: UInt64, limit: Int? = nil) -> [LogLine] {
        let held = storage[head...]
        let selected: [LogLine] = switch scope {
        case .all: Array(held)
        case .current: held.filter { $0.incarnation == incarnation }
        case .previous: incarnation > 1 ? held.filter { $0.incarnation == incarnation - 1 } : []
        }
        guard let limit, selected.count > limit else { return selected }
        return Array(selected.suffix(max(0, limit)))
    }
}
