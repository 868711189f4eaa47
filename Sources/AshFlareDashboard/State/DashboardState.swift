import AshFlare

/// Everything the dashboard shows and remembers: the trees, the selection, the log, the mode.
///
/// Changed only by ``apply(_:)`` (updates from the trees), ``tick(wall:)`` (time passing),
/// ``resize(width:height:)`` and ``Reducer`` (keys); drawn by ``Renderer``. Pure data: no I/O.
public struct DashboardState: Sendable {
    /// Behaviour and looks.
    public var options: DashboardOptions
    /// The trees, in the order given.
    public internal(set) var nodes: [NodeState]
    /// The event log, all trees, oldest first.
    public internal(set) var log = Ring<LogEntry>(capacity: 2000)
    /// The selected row (a tree node or, with several trees, a tree's header row).
    public internal(set) var selection: RowID?
    /// The selected row's index at the last move, used when the selected node disappears.
    var selectionHint = 0
    /// The first visible row of the tree pane (kept so the selection stays in view).
    public internal(set) var treeScroll = 0
    /// Collapsed rows.
    public internal(set) var collapsed: Set<RowID> = []
    /// The filter (`/`, see ``FilterQuery``); empty shows everything.
    public internal(set) var filter = ""
    /// How siblings are ordered (`o`).
    public internal(set) var sort: TreeSort = .spec
    /// How the detail pane is shown (`i`).
    public internal(set) var detailMode: DetailMode = .auto
    /// Rows marked with Space for a bulk action.
    public internal(set) var marked: Set<RowID> = []
    /// Whether keys go to the filter text.
    public internal(set) var editingFilter = false
    /// The pane with the navigation keys.
    public internal(set) var focus: Pane = .tree
    /// Whether the log shows only the selected subtree (`f`).
    public internal(set) var logFollowsSelection = false
    /// Log lines scrolled back from the newest (0 follows the newest).
    public internal(set) var logScroll = 0
    /// The frozen view while paused (`p`): the trees and log as they were.
    public internal(set) var frozen: (nodes: [NodeState], log: Ring<LogEntry>, wall: Duration)?
    /// The box that takes the keys, if any.
    public internal(set) var overlay: Overlay?
    /// The status line.
    public internal(set) var status: StatusMessage?
    /// The terminal size.
    public internal(set) var width = 80
    /// The terminal size.
    public internal(set) var height = 24
    /// The dashboard's monotonic wall time (since it started).
    public internal(set) var wall: Duration = .zero
    var nextRequestID = 1

    /// Creates the state for trees named `names`.
    public init(names: [String], options: DashboardOptions = DashboardOptions()) {
        self.options = options
        self.nodes = names.map(NodeState.init(name:))
        if names.count > 1 { selection = RowID(node: 0, path: nil) }
    }

    /// Whether the view is frozen (`p`).
    public var isPaused: Bool { frozen != nil }

    /// The trees as drawn (frozen while paused).
    public var visibleNodes: [NodeState] { frozen?.nodes ?? nodes }

    /// The log as drawn (frozen while paused).
    public var visibleLog: Ring<LogEntry> { frozen?.log ?? log }

    /// The wall time as drawn (frozen while paused).
    public var visibleWall: Duration { frozen?.wall ?? wall }

    /// The layout of a `width` × `height` frame (the terminal's size by default).
    public func layout(width: Int? = nil, height: Int? = nil) -> Layout {
        Layout(width: width ?? self.width, height: height ?? self.height, focus: focus, detail: detailMode, wantedTreeWidth: wantedTreeWidth)
    }

    /// The tree pane width that shows the widest name whole with every column.
    var wantedTreeWidth: Int {
        let label = visibleNodes.map(\.model.widestLabel).max() ?? 0
        // marker, expander, glyph and space, a space before the state, the other columns.
        return TreeColumns.fixedWidth + 5 + label + (isMultiNode ? 2 : 0)
    }

    /// Whether several trees are shown (each gets a header row).
    public var isMultiNode: Bool { nodes.count > 1 }

    /// The replay's timeline when the state shows a recording (`flare replay`).
    public internal(set) var replay: ReplayPlayer?
    /// The jump target being typed after `t` in a replay.
    public internal(set) var replayJump: String?

    /// The file a recording (`R`) is being written to, while one runs.
    public internal(set) var recording: String?

    /// The blast-radius lines of the open confirm prompt, computed when it opens, per request.
    public internal(set) var confirmPreviews: (request: [ControlRequest], lines: [ConfirmPreview?]) = ([], [])

    /// The logs pane (`l`), when open.
    public internal(set) var logsPane: LogsPane?

    /// The newest log lines of the selected worker, shown in the detail pane.
    public internal(set) var detailLog: DetailLog?

    /// The command that reads the selected worker's log for the detail pane; nil when the
    /// selection is not a worker (supervisors have no log).
    public var detailLogRequest: DashboardCommand? {
        guard logsPane == nil, let selection, let path = selection.path, nodes.indices.contains(selection.node),
              let index = nodes[selection.node].model.index(of: path),
              !nodes[selection.node].model.nodes[index].isSupervisor
        else { return nil }
        return .readLog(node: selection.node, path: path)
    }

    /// Notes the terminal's size.
    public mutating func resize(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// Moves the wall clock (monotonic time since the dashboard started).
    public mutating func tick(wall: Duration) {
        let passed = wall - self.wall
        self.wall = max(self.wall, wall)
        if replay != nil, passed > .zero { advanceReplay(by: passed) }
    }

    /// Applies an update from a tree's feed and returns the follow-up commands (a snapshot
    /// request when the model lost track).
    @discardableResult
    public mutating func apply(_ update: FeedUpdate) -> [DashboardCommand] {
        switch update {
        case .connecting(let node):
            guard nodes.indices.contains(node) else { return [] }
            nodes[node].connection = .connecting
        case .snapshot(let node, let snapshot):
            guard nodes.indices.contains(node), nodes[node].model.load(snapshot), let root = nodes[node].model.root else { return [] }
            if root.state.isActive {
                if nodes[node].connection != .connected { note(node, "watching \(nodes[node].name)") }
                nodes[node].connection = .connected
            } else {
                nodes[node].connection = .stopped
            }
            nodes[node].sync(wall: wall)
            if selection == nil { selection = RowID(node: node, path: root.path) }
        case .events(let node, let events):
            guard nodes.indices.contains(node) else { return [] }
            for event in events {
                // A spec child of a supervisor that is (re)starting is added with it: only what an
                // operator adds to a running supervisor is worth a line.
                var quiet = false
                if case .childAdded(let path) = event.kind, let parent = path.parent {
                    quiet = nodes[node].model.node(at: parent)?.state != .running
                }
                nodes[node].model.apply(event)
                if case .lagged = event.kind { continue }
                if quiet { continue }
                log.append(LogEntry(node: node, time: event.time, kind: .event(event.kind)))
            }
            nodes[node].sync(wall: wall)
            if nodes[node].model.needsResync { return [.refresh(node: node)] }
        case .treeStopped(let node):
            guard nodes.indices.contains(node) else { return [] }
            if nodes[node].connection != .stopped { note(node, "\(nodes[node].name): the tree has shut down") }
            nodes[node].connection = .stopped
        case .disconnected(let node, let reason):
            guard nodes.indices.contains(node) else { return [] }
            if nodes[node].connection != .disconnected(reason: reason) { note(node, "\(nodes[node].name) disconnected: \(reason)") }
            nodes[node].connection = .disconnected(reason: reason)
        case .result(let result):
            let node = result.request.node
            guard nodes.indices.contains(node) else { return [] }
            log.append(LogEntry(node: node, time: nodes[node].treeTime(atWall: wall), kind: .action(result)))
            status = StatusMessage(result.message, result.succeeded ? .ok : .error)
            // No re-read: the operation's events (before its reply) already updated the model.
        case .childLog(let node, let path, let lines):
            detailLog = DetailLog(node: node, path: path, lines: lines)
        case .logLines(let node, let path, let lines, let missed):
            guard logsPane?.node == node, logsPane?.path == path else { return [] }
            logsPane?.append(lines, missed: missed)
        case .previousLog(let node, let path, let tail):
            guard logsPane?.node == node, logsPane?.path == path, logsPane?.source == .previous else { return [] }
            logsPane?.replace(with: tail.lines, incarnation: tail.incarnation > 1 ? tail.incarnation - 1 : tail.incarnation)
        case .logFailed(let node, let path, let message):
            guard logsPane?.node == node, logsPane?.path == path else { return [] }
            logsPane?.error = message
        case .recording(let file, let message, let succeeded):
            recording = file
            status = StatusMessage(message, succeeded ? .ok : .error)
            if !nodes.isEmpty { log.append(LogEntry(node: 0, time: nodes[0].treeTime(atWall: wall), kind: .note(message))) }
        case .status(let text, let succeeded):
            status = StatusMessage(text, succeeded ? .ok : .error)
            if !nodes.isEmpty { log.append(LogEntry(node: 0, time: nodes[0].treeTime(atWall: wall), kind: .note(text))) }
        case .custom(let outcome):
            options.badge = outcome.badge
            status = StatusMessage(outcome.message, .ok)
            if !nodes.isEmpty { log.append(LogEntry(node: 0, time: nodes[0].treeTime(atWall: wall), kind: .note(outcome.message))) }
        }
        return []
    }

    private mutating func note(_ node: Int, _ text: String) {
        log.append(LogEntry(node: node, time: nodes[node].model.time, kind: .note(text)))
    }

    /// Sets the status line.
    public mutating func setStatus(_ text: String, _ tone: StatusMessage.Tone = .info) {
        status = StatusMessage(text, tone)
    }
}
