import AshFlare

/// The symbols a frame uses, in UTF-8 or in plain ASCII (`--ascii`).
public struct Glyphs: Hashable, Sendable {
    /// Running, starting, backing off, stopping, stopped, failed, abandoned.
    public var running, starting, backingOff, stopping, stopped, failed, abandoned: String
    /// Expanded and collapsed tree markers, the selection marker.
    public var expanded, collapsed, selection: String
    /// Intensity gauge cells: used and free.
    public var gaugeFull, gaugeEmpty: String
    /// Sparkline levels, lowest first.
    public var sparks: [String]
    /// Box drawing: horizontal, vertical, corners (top-left, top-right, bottom-left, bottom-right).
    public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: String
    /// Event log markers: started, exited, restart, escalated, added, removed, abandoned, shutdown, action ok, action failed.
    public var logStarted, logExited, logRestart, logEscalated, logAdded, logRemoved, logAbandoned, logShutdown, logOK, logFailed: String
    /// A bullet separating header items, the ellipsis, the restart mark.
    public var separator, ellipsis, restartMark: String
    /// Connection states of a node: connected, connecting, disconnected.
    public var connected, connecting, disconnected: String
    /// A row marked for a bulk action; a flapping node (restarting again and again).
    public var mark, flapping: String

    /// The UTF-8 set.
    public static let unicode = Glyphs(
        running: "●", starting: "◌", backingOff: "◔", stopping: "◍", stopped: "○", failed: "✗", abandoned: "⊘",
        expanded: "▾", collapsed: "▸", selection: "▶", gaugeFull: "▮", gaugeEmpty: "▯",
        sparks: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        logStarted: "▲", logExited: "▼", logRestart: "↻", logEscalated: "‼", logAdded: "+", logRemoved: "-",
        logAbandoned: "⊘", logShutdown: "■", logOK: "✓", logFailed: "✗",
        separator: "·", ellipsis: "…", restartMark: "↻",
        connected: "◉", connecting: "◌", disconnected: "✗",
        mark: "◆", flapping: "↯")

    /// The ASCII set.
    public static let ascii = Glyphs(
        running: "*", starting: "+", backingOff: "~", stopping: "-", stopped: "o", failed: "X", abandoned: "!",
        expanded: "v", collapsed: ">", selection: ">", gaugeFull: "#", gaugeEmpty: "-",
        sparks: [" ", ".", ".", ":", ":", "|", "|", "#", "#"],
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        logStarted: "^", logExited: "v", logRestart: "@", logEscalated: "!!", logAdded: "+", logRemoved: "-",
        logAbandoned: "!", logShutdown: "#", logOK: "ok", logFailed: "ERR",
        separator: "|", ellipsis: "~", restartMark: "R",
        connected: "*", connecting: "+", disconnected: "X",
        mark: "+", flapping: "!")

    /// The glyph for a child state.
    public func glyph(for state: ChildState) -> String {
        switch state {
        case .running: running
        case .starting: starting
        case .backingOff: backingOff
        case .stopping: stopping
        case .stopped: stopped
        case .failed: failed
        case .abandoned: abandoned
        }
    }

    /// The role for a child state.
    public static func role(for state: ChildState) -> Role {
        switch state {
        case .running: .running
        case .starting, .stopping: .starting
        case .backingOff: .backingOff
        case .stopped: .stopped
        case .failed: .failed
        case .abandoned: .abandoned
        }
    }
}
