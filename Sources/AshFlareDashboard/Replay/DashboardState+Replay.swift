import AshFlare

extension DashboardState {
    /// A dashboard on a recording (`flare replay`): one tree, read-only, time from the
    /// recording's timeline (``ReplayPlayer``), starting paused at the first snapshot.
    public init(replaying recording: Recording, options: DashboardOptions = DashboardOptions()) throws(ReplayError) {
        var options = options
        options.readOnly = true
        self.init(names: [recording.header.tree], options: options)
        var model = TreeModel()
        var player = try ReplayPlayer(recording, model: &model)
        player.playing = false
        nodes[0].model = model
        nodes[0].connection = .connected
        nodes[0].replayTime = player.time
        replay = player
        if let root = model.root { selection = RowID(node: 0, path: root.path) }
        setStatus("replay of \(recording.header.tree) from \(recording.header.startedAt): space plays, . and , step, t jumps")
    }

    /// Sets the replay's speed (clamped to ``ReplayPlayer/speeds``) and whether it plays.
    public mutating func setReplaySpeed(_ speed: Double, playing: Bool) {
        guard var player = replay else { return }
        player.speed = min(max(speed, ReplayPlayer.speeds.lowerBound), ReplayPlayer.speeds.upperBound)
        player.playing = playing && !player.atEnd
        replay = player
    }

    /// Moves the replay by the wall time since the last tick (while it plays).
    mutating func advanceReplay(by wall: Duration) {
        guard var player = replay, player.playing else { return }
        let events = player.play(&nodes[0].model, for: wall)
        for event in events.suffix(log.capacity) where !event.kind.isLagged {
            log.append(LogEntry(node: 0, time: event.time, kind: .event(event.kind)))
        }
        finishReplayMove(player)
        if !player.playing { setStatus("end of the recording (t jumps, , steps back)") }
    }

    /// Stores `player` after a move and brings the tree's clock and event log along.
    mutating func finishReplayMove(_ player: ReplayPlayer, rebuildLog: Bool = false) {
        replay = player
        nodes[0].replayTime = player.time
        if rebuildLog {
            log.removeAll()
            for event in player.recentEvents(limit: log.capacity) where !event.kind.isLagged {
                log.append(LogEntry(node: 0, time: event.time, kind: .event(event.kind)))
            }
        }
        if let selection, let path = selection.path, nodes[0].model.index(of: path) == nil, let root = nodes[0].model.root {
            self.selection = RowID(node: 0, path: root.path)
        }
    }
}

extension SupervisorEvent.Kind {
    /// Whether it is the `lagged` marker (not a change of the tree).
    var isLagged: Bool {
        if case .lagged = self { true } else { false }
    }
}
