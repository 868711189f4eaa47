import AshFlare

extension Reducer {
    /// The replay's own keys (space, `.`, `,`, `+`, `-`, `t`); returns nil for keys that keep
    /// their normal meaning.
    static func replayKey(_ state: inout DashboardState, _ player: ReplayPlayer, _ key: Key) -> [DashboardCommand]? {
        var player = player
        if let typed = state.replayJump {
            switch key {
            case .character(let character): state.replayJump = typed + String(character)
            case .backspace: state.replayJump = typed.isEmpty ? nil : String(typed.dropLast())
            case .escape:
                state.replayJump = nil
                state.setStatus("jump cancelled")
            case .enter:
                state.replayJump = nil
                guard let target = ReplayJump.parse(typed, start: player.start, end: player.end) else {
                    state.setStatus("jump: '\(typed)' is not a time: give seconds from the start (90, 1:30, 12.5s) or a percentage (50%)", .error)
                    return []
                }
                player.seek(&state.nodes[0].model, toTime: target)
                state.finishReplayMove(player, rebuildLog: true)
                state.setStatus("at \(Format.stamp(target - player.start)) of \(Format.stamp(player.end - player.start)) (event \(player.eventsApplied) of \(player.eventCount))")
            default: break
            }
            return []
        }
        switch key {
        case .character(" "):
            if player.atEnd && !player.playing {
                player.seek(&state.nodes[0].model, toEntry: 1)
                state.finishReplayMove(player, rebuildLog: true)
            }
            player.playing.toggle()
            state.replay = player
            state.setStatus(player.playing ? "playing at \(ReplayJump.speedText(player.speed))" : "paused (space resumes, . and , step)")
        case .character("."):
            player.playing = false
            if let event = player.stepForward(&state.nodes[0].model) {
                if !event.kind.isLagged { state.log.append(LogEntry(node: 0, time: event.time, kind: .event(event.kind))) }
                state.finishReplayMove(player)
                state.setStatus("event \(player.eventsApplied) of \(player.eventCount): \(LogText.describe(event.kind).0)")
            } else {
                state.finishReplayMove(player)
                state.setStatus("end of the recording")
            }
        case .character(","):
            player.playing = false
            player.stepBack(&state.nodes[0].model)
            state.finishReplayMove(player, rebuildLog: true)
            state.setStatus("event \(player.eventsApplied) of \(player.eventCount)")
        case .character("+"), .character("="):
            player.speed = min(ReplayPlayer.speeds.upperBound, player.speed * 2)
            state.replay = player
            state.setStatus("speed \(ReplayJump.speedText(player.speed))")
        case .character("-"), .character("_"):
            player.speed = max(ReplayPlayer.speeds.lowerBound, player.speed / 2)
            state.replay = player
            state.setStatus("speed \(ReplayJump.speedText(player.speed))")
        case .character("t"):
            state.replayJump = ""
            state.setStatus("jump to: seconds from the start (90, 1:30, 12.5s) or a percentage (50%), Enter")
        case .character("l"), .character("R"):
            state.setStatus("a recording holds the tree's events, not its logs or a live tree", .error)
        default:
            return nil
        }
        return []
    }
}

/// Reading the target of `t` in a replay.
public enum ReplayJump {
    /// The tree time `text` names: a percentage of the recording (`50%`), or a time from its
    /// start in seconds (`90`, `12.5s`) or minutes and seconds (`1:30`). Nil when it is neither.
    public static func parse(_ text: String, start: Duration, end: Duration) -> Duration? {
        let trimmed = text.trimmingWhitespace
        if trimmed.hasSuffix("%") {
            guard let percent = Double(trimmed.dropLast()), (0...100).contains(percent) else { return nil }
            return start + (end - start) * (percent / 100)
        }
        var seconds: Double?
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, let minutes = Int(parts[0]), let rest = Double(parts[1]), minutes >= 0, rest >= 0, rest < 60 {
            seconds = Double(minutes) * 60 + rest
        } else if parts.count == 1 {
            seconds = Double(trimmed.hasSuffix("s") ? String(trimmed.dropLast()) : trimmed)
        }
        guard let seconds, seconds >= 0, seconds.isFinite else { return nil }
        return start + .milliseconds(Int64(seconds * 1000))
    }

    /// `2x`, `0.5x`.
    public static func speedText(_ speed: Double) -> String {
        speed >= 1 ? "\(Int(speed))x" : "\(speed)x"
    }
}

extension String {
    /// The text without leading and trailing spaces.
    var trimmingWhitespace: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
