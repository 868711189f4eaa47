import AshFlare

/// The logs pane (`l`): one worker's log lines over the whole body of the frame.
///
/// Opens following the live log (``Source/live``); `L` switches to the lines of the
/// incarnation before the current one (``Source/previous``: the last words of the one that
/// crashed). Pure data, changed by ``Reducer`` and ``DashboardState/apply(_:)``.
public struct LogsPane: Sendable {
    /// Which lines the pane shows.
    public enum Source: Sendable, Hashable {
        /// Every line held, then each new one as it is written. Can go to `previous`.
        case live
        /// The lines of the previous incarnation (read once). Can go to `live`.
        case previous
    }

    /// The tree (connection) the worker belongs to.
    public var node: Int
    /// The worker.
    public var path: ChildPath
    /// Which lines the pane shows.
    public internal(set) var source: Source = .live
    /// The lines, oldest first (at most ``capacity``).
    public internal(set) var lines = Ring<LogLine>(capacity: LogsPane.capacity)
    /// Whether the view sticks to the newest line (`f`; scrolling up turns it off, End on).
    public internal(set) var follow = true
    /// Whether long lines wrap (`W`) instead of being cut.
    public internal(set) var wrap = false
    /// Lines scrolled back from the newest (0 with ``follow``).
    public internal(set) var scroll = 0
    /// The search text (`/`); empty for none.
    public internal(set) var search = ""
    /// Whether keys go to the search text.
    public internal(set) var editingSearch = false
    /// Lines the pane missed (the reader fell behind the ring, or the ring had dropped them).
    public internal(set) var missed: UInt64 = 0
    /// The incarnation whose lines ``Source/previous`` shows, once read.
    public internal(set) var previousIncarnation: UInt64?
    /// Whether the lines have arrived at least once (else the pane says it is reading).
    public internal(set) var loaded = false
    /// Why the log cannot be read, if it cannot.
    public internal(set) var error: String?

    /// How many lines the pane keeps (and asks for as backlog).
    public static let capacity = 5000

    /// Creates a pane following the log of `path` of tree `node`.
    public init(node: Int, path: ChildPath) {
        self.node = node
        self.path = path
    }

    /// The command that reads what the pane shows (follow the live log, or read the previous incarnation).
    var readCommand: DashboardCommand {
        switch source {
        case .live: .followLog(node: node, path: path)
        case .previous: .readPreviousLog(node: node, path: path)
        }
    }

    /// Appends lines of the live log (ignored while the pane shows the previous incarnation).
    mutating func append(_ new: [LogLine], missed newlyMissed: UInt64) {
        guard source == .live else { return }
        missed += newlyMissed
        loaded = true
        error = nil
        var added = 0
        for line in new {
            if let last = lines.last, line.sequence <= last.sequence { continue }
            lines.append(line)
            added += 1
        }
        // Keep the view still while scrolled back.
        if !follow { scroll = min(scroll + added, max(0, lines.count - 1)) }
    }

    /// Replaces the lines (the previous incarnation's tail).
    mutating func replace(with tail: [LogLine], incarnation: UInt64) {
        lines.removeAll()
        for line in tail.suffix(LogsPane.capacity) { lines.append(line) }
        previousIncarnation = incarnation
        loaded = true
        error = nil
        scroll = 0
    }

    /// Whether `line` matches the search (case-insensitive).
    public func matches(_ line: LogLine) -> Bool {
        !search.isEmpty && line.text.lowercased().contains(search.lowercased())
    }

    /// Indices (into ``lines``) of the lines that match the search, oldest first.
    public var matchIndices: [Int] {
        guard !search.isEmpty else { return [] }
        return (0..<lines.count).filter { matches(lines[$0]) }
    }

    /// The lines as a file would hold them: `#incarnation time stream text` per line.
    public var fileText: String {
        var text = ""
        for index in 0..<lines.count {
            let line = lines[index]
            text += "#\(line.incarnation) \(Format.stamp(line.time)) \(line.stream) \(line.displayText)\n"
        }
        return text
    }

    /// The file `w` writes: `ashflare-<path with / as ->[-previous].log`.
    public var suggestedFileName: String {
        let name = path.description.map { $0 == "/" || $0 == " " ? "-" : $0 }
        return "ashflare-" + String(name) + (source == .previous ? "-previous" : "") + ".log"
    }
}
