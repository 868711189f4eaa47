import AshFlare

extension RenderContext {
    /// The event log pane: a title, then the newest entries that fit (newest last).
    func logPane(rect: Rect) -> [StyledLine] {
        let log = state.visibleLog
        let subtree: ChildPath? = state.logFollowsSelection ? selected?.node.path : nil
        let subtreeNode = selected?.tree
        var title = StyledLine()
        let focused = state.focus == .log
        let scope = subtree.map { "\($0) subtree" } ?? "all"
        let scrolled = state.logScroll > 0 ? " (scrolled back \(state.logScroll); End for newest)" : ""
        title.append(glyphs.horizontal + " Events: \(scope)\(scrolled) ", focused ? .accent : .header)
        if title.width < rect.width {
            title.append(String(repeating: glyphs.horizontal, count: rect.width - title.width), .dim)
        }
        var lines = [title.prefix(cells: rect.width)]
        let page = rect.height - 1
        var entries: [LogEntry] = []
        var skipped = 0
        var offset = log.count - 1
        while offset >= 0 && entries.count < page {
            let entry = log[offset]
            offset -= 1
            if let subtree {
                guard entry.node == subtreeNode, let path = entry.path, path.isDescendant(of: subtree) else { continue }
            }
            if skipped < state.logScroll {
                skipped += 1
                continue
            }
            entries.append(entry)
        }
        for entry in entries.reversed() { lines.append(logLine(entry, width: rect.width)) }
        return padded(lines, rect)
    }

    func logLine(_ entry: LogEntry, width: Int) -> StyledLine {
        var line = StyledLine()
        line.append(" " + Format.stamp(entry.time).leftPadded(to: 9) + " ", .dim)
        if nodes.count > 1 { line.append("[\(cut(nodes[entry.node].name, 12))] ", .dim) }
        let (text, role) = LogText.describe(entry.kind, glyphs: glyphs)
        line.append(cut(text, max(0, width - line.width)), role)
        return line
    }
}

/// The words for log entries (shared by the log pane and the plain-text event printer).
public enum LogText {
    /// The text and role of one entry.
    public static func describe(_ kind: LogEntry.Kind, glyphs: Glyphs) -> (String, Role) {
        switch kind {
        case .event(let event): describe(event, glyphs: glyphs)
        case .action(let result): ((result.succeeded ? glyphs.logOK : glyphs.logFailed) + " " + result.message, result.succeeded ? .ok : .failed)
        case .note(let text): ("• " + text, .dim)
        }
    }

    /// The text and role of one event.
    public static func describe(_ event: SupervisorEvent.Kind, glyphs: Glyphs = .unicode) -> (String, Role) {
        switch event {
        case .childStarted(let path, let incarnation):
            ("\(glyphs.logStarted) \(path) started (#\(incarnation))", .running)
        case .childExited(let path, let incarnation, let reason):
            ("\(glyphs.logExited) \(path) exited: \(reason) (#\(incarnation))", reason.isAbnormal ? .failed : .dim)
        case .restartScheduled(let path, let delay):
            ("\(glyphs.logRestart) \(path) restarts " + (delay > .zero ? "in \(Format.duration(delay))" : "now"), .backingOff)
        case .intensityChanged(let path, let restarts, let limit):
            ("  \(path) intensity \(restarts)/\(limit)", restarts >= limit ? .critical : (restarts * 2 >= limit ? .warning : .dim))
        case .escalated(let path):
            ("\(glyphs.logEscalated) \(path) exceeded its restart intensity and escalates", .critical)
        case .childAdded(let path):
            ("\(glyphs.logAdded) \(path) added", .normal)
        case .childRemoved(let path):
            ("\(glyphs.logRemoved) \(path) removed", .dim)
        case .abandoned(let path, let incarnation):
            ("\(glyphs.logAbandoned) \(path) ignored cancellation and was abandoned (#\(incarnation))", .abandoned)
        case .restartCancelled(let path):
            ("\(glyphs.logRemoved) \(path) restart cancelled; stopped", .dim)
        case .shutdownBegan(let path):
            ("\(glyphs.logShutdown) \(path) shutting down", .dim)
        case .shutdownFinished(let path):
            ("\(glyphs.logShutdown) \(path) stopped its children", .dim)
        case .lagged(let missed):
            ("… missed \(missed) events; resynchronised", .warning)
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
