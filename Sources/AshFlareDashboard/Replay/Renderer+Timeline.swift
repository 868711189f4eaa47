import AshFlare

extension RenderContext {
    /// The replay's timeline bar (in place of the sparkline): play state, speed, a bar, the time
    /// reached and the events applied; `t`'s prompt while a jump is typed.
    func timelineLine(_ player: ReplayPlayer) -> StyledLine {
        var line = StyledLine()
        if let typed = state.replayJump {
            line.append(" jump to ", .accent)
            line.append(cut(typed, layout.width - 40))
            line.append(ascii ? "_" : "▏", .accent)
            line.append("  (90, 1:30, 12.5s or 50%; Enter, Esc)", .dim)
            return line
        }
        let mark = player.playing ? (ascii ? ">" : "▶") : (ascii ? "||" : "‖")
        line.append(" \(mark) ", player.playing ? .running : .warning)
        line.append(ReplayJump.speedText(player.speed).leftPadded(to: 6) + " ", .accent)
        let elapsed = Format.stamp(player.time - player.start)
        let total = Format.stamp(player.end - player.start)
        let facts = " \(elapsed) / \(total)  event \(player.eventsApplied)/\(player.eventCount)"
        let barWidth = max(4, layout.width - line.width - TextWidth.cells(facts) - 3)
        let filled = Int((player.fraction * Double(barWidth)).rounded(.down))
        line.append(ascii ? "[" : "│", .dim)
        line.append(String(repeating: ascii ? "#" : "█", count: filled), .accent)
        line.append(String(repeating: ascii ? "." : "░", count: barWidth - filled), .dim)
        line.append(ascii ? "]" : "│", .dim)
        line.append(facts)
        return line
    }
}
