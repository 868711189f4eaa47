import AshFlare
import AshFlareDashboard

/// Replays a recording to its end and compares the tree rebuilt from the events with every
/// check snapshot (`flare replay --check`, and the exactness tests).
///
/// At a check line the model has applied exactly the events up to the check's sequence number,
/// so the two must be equal. Fields no event describes are left out of the comparison (see
/// ``Ignored``); a check reached while the model has lost track (an event it could not apply,
/// see ``TreeModel/needsResync``) is counted as skipped, with the event that lost it.
public enum ReplayCheck {
    /// Fields left out of the comparison.
    public struct Ignored: OptionSet, Hashable, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// A process child's pid, CPU and memory: sampled when a snapshot is taken, not an event.
        public static let process = Ignored(rawValue: 1)
        /// When an incarnation started: events carry when it finished starting, a snapshot when
        /// it began (equal under a manual clock).
        public static let startedAt = Ignored(rawValue: 2)
        /// The supervisors' context store values: changed without events.
        public static let context = Ignored(rawValue: 4)

        /// A node that is starting or stopping on either side (and what is below it): the engine
        /// emits no event when a child *begins* to stop (kill, terminate, a restart round) or
        /// begins a new incarnation (its `childStarted` comes once it has started), so between
        /// those moments and the next event the snapshot is ahead of the events.
        public static let transitions = Ignored(rawValue: 8)

        /// What no event describes (the default).
        public static let timeDerived: Ignored = [.process, .startedAt, .context, .transitions]
    }

    /// What a check found.
    public struct Result: Sendable {
        /// Check lines in the recording.
        public var checks = 0
        /// Checks compared (equal or not).
        public var compared = 0
        /// Checks skipped because the model had lost track, with the event that lost it.
        public var skipped: [String] = []
        /// The differences found, one line each (`check at #1234: shop/db/pool: state model=running snapshot=stopped`).
        public var mismatches: [String] = []
        /// Node comparisons left out because the node was starting or stopping (``Ignored/transitions``).
        public var transitional = 0
        /// Node comparisons made.
        public var nodesCompared = 0
        /// Events in the recording.
        public var events = 0
        /// Snapshot lines after the first (where the recorder re-read the tree).
        public var resyncs = 0

        /// One line for people.
        public var summary: String {
            var text = "\(events) events, \(checks) checks: \(compared) compared, \(compared - mismatchedChecks) equal"
            if !skipped.isEmpty { text += ", \(skipped.count) skipped (the model had lost track: \(Set(skipped).sorted().joined(separator: "; ")))" }
            if resyncs > 0 { text += ", \(resyncs) snapshots re-read" }
            text += "; \(nodesCompared) nodes compared, \(transitional) left out while starting or stopping"

            return text + (mismatches.isEmpty ? "; the replay is exact" : "; \(mismatches.count) differences")
        }

        var mismatchedChecks = 0
    }

    /// Replays `recording` and compares at every check line.
    public static func run(_ recording: Recording, ignoring ignored: Ignored = .timeDerived) -> Result {
        var result = Result()
        var model = TreeModel()
        guard var player = try? ReplayPlayer(recording, model: &model) else { return result }
        var lostBy: String?
        while let entry = player.nextEntry {
            switch entry {
            case .check(let snapshot):
                result.checks += 1
                if model.needsResync {
                    result.skipped.append(lostBy ?? "unknown")
                } else if model.sequence != snapshot.sequence {
                    result.skipped.append("a re-read snapshot past the check")
                } else if let rebuilt = model.snapshotRoot(at: snapshot.time) {
                    result.compared += 1
                    let (differences, compared, transitional) = compare(rebuilt, snapshot.root, ignoring: ignored)
                    result.nodesCompared += compared
                    result.transitional += transitional
                    if !differences.isEmpty {
                        result.mismatchedChecks += 1
                        result.mismatches += differences.prefix(3).map { "check at #\(snapshot.sequence): \($0)" }
                    }
                }
            case .snapshot:
                if player.position > 0 { result.resyncs += 1 }
            case .event(let event):
                result.events += 1
                let before = model.needsResync
                player.applyNext(to: &model)
                if !before && model.needsResync { lostBy = Self.name(event.kind) }
                continue
            }
            player.applyNext(to: &model)
            if !model.needsResync { lostBy = nil }
        }
        return result
    }

    /// The differences between a rebuilt node and the recorded one, as `path: field model=… snapshot=…`.
    public static func differences(_ rebuilt: NodeSnapshot, _ recorded: NodeSnapshot, ignoring ignored: Ignored = .timeDerived) -> [String] {
        compare(rebuilt, recorded, ignoring: ignored).differences
    }

    /// The differences, the nodes compared and the nodes left out as starting or stopping.
    static func compare(_ rebuilt: NodeSnapshot, _ recorded: NodeSnapshot, ignoring ignored: Ignored) -> (differences: [String], compared: Int, transitional: Int) {
        var found: [String] = []
        var compared = 0, transitional = 0
        func inTransition(_ state: ChildState) -> Bool { state == .starting || state == .stopping }
        func compare(_ a: NodeSnapshot, _ b: NodeSnapshot) {
            if ignored.contains(.transitions) && (inTransition(a.state) || inTransition(b.state)) {
                transitional += 1
                return
            }
            compared += 1
            func check<T: Equatable>(_ field: String, _ x: T, _ y: T) {
                if x != y { found.append("\(b.path): \(field) model=\(x) snapshot=\(y)") }
            }
            check("type", a.type, b.type)
            check("state", a.state, b.state)
            check("restart", a.restartPolicy, b.restartPolicy)
            check("incarnation", a.incarnation, b.incarnation)
            check("execution", a.execution, b.execution)
            check("restarts", a.restartCount, b.restartCount)
            check("lastExit", a.lastExit, b.lastExit)
            check("lastExitAt", a.lastExitAt, b.lastExitAt)
            if !ignored.contains(.startedAt) { check("startedAt", a.startedAt, b.startedAt) }
            if !ignored.contains(.process) { check("process", a.process, b.process) }
            var left = a.supervisor, right = b.supervisor
            if ignored.contains(.context) {
                left?.context = nil
                right?.context = nil
            }
            check("supervisor", left, right)
            let names = a.children.map(\.id), recordedNames = b.children.map(\.id)
            guard names == recordedNames else {
                found.append("\(b.path): children model=\(names) snapshot=\(recordedNames)")
                return
            }
            for (x, y) in zip(a.children, b.children) { compare(x, y) }
        }
        compare(rebuilt, recorded)
        return (found, compared, transitional)
    }

    /// The event's type name (`childAdded`).
    static func name(_ kind: SupervisorEvent.Kind) -> String {
        let text = "\(kind)"
        return String(text.prefix { $0 != "(" })
    }
}
