import AshFlare

/// The text form of an event for `flare events`:
/// `#12 +3.204s childExited shop/db incarnation=2 reason=killed execution=17`.
enum EventText {
    /// The line of `event`.
    static func line(_ event: SupervisorEvent) -> String {
        let line = "#\(event.sequence) \(DurationText.offset(event.time)) " + describe(event.kind)
        // The id `--if-execution` takes, on the events that carry one.
        return event.execution.map { line + " execution=\($0)" } ?? line
    }

    private static func describe(_ kind: SupervisorEvent.Kind) -> String {
        switch kind {
        case .childStarted(let path, let incarnation): "childStarted \(path) incarnation=\(incarnation)"
        case .childExited(let path, let incarnation, let reason): "childExited \(path) incarnation=\(incarnation) reason=\(reason)"
        case .restartScheduled(let path, let delay): "restartScheduled \(path) delay=\(DurationText.short(delay))"
        case .intensityChanged(let supervisor, let restarts, let maxRestarts): "intensityChanged \(supervisor) restarts=\(restarts)/\(maxRestarts)"
        case .escalated(let supervisor): "escalated \(supervisor)"
        case .childAdded(let path): "childAdded \(path)"
        case .childRemoved(let path): "childRemoved \(path)"
        case .abandoned(let path, let incarnation): "abandoned \(path) incarnation=\(incarnation)"
        case .restartCancelled(let path): "restartCancelled \(path)"
        case .shutdownBegan(let supervisor): "shutdownBegan \(supervisor)"
        case .shutdownFinished(let supervisor): "shutdownFinished \(supervisor)"
        case .lagged(let missed): "lagged missed=\(missed)"
        }
    }
}
