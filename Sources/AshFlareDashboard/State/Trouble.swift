import AshFlare

/// Why a node needs a look: what `n` jumps to, what `trouble` filters, what a fold rolls up.
///
/// Ordered worst first, so the worst of several is the smallest.
public enum Trouble: Int, Hashable, Sendable, Comparable, CaseIterable {
    /// A supervisor that gave up.
    case failed
    /// A worker that ignored cancellation.
    case abandoned
    /// Waiting for a restart.
    case backingOff
    /// A supervisor whose intensity window is at half or more of its limit.
    case nearLimit
    /// Restarted within ``Trouble/recentWindow``.
    case restartedRecently

    /// How far back "restarted recently" (and flapping) looks.
    public static let recentWindow = Duration.seconds(60)
    /// Restarts within ``recentWindow`` from which a node is flapping.
    public static let flappingThreshold = 3

    /// A short word for the status line: `failed`, `backing off`, …
    public var word: String {
        switch self {
        case .failed: "failed"
        case .abandoned: "abandoned"
        case .backingOff: "backing off"
        case .nearLimit: "intensity near its limit"
        case .restartedRecently: "restarted in the last minute"
        }
    }

    /// Worse sorts first: `.failed < .restartedRecently`.
    public static func < (lhs: Trouble, rhs: Trouble) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The trouble of the node at `slot`, if any, at tree time `now`; `recentRestarts` is its
    /// restart count within ``recentWindow`` (see ``RecentRestarts``).
    public static func of(slot: Int, in model: TreeModel, now: Duration, recentRestarts: Int) -> Trouble? {
        let node = model.nodes[slot]
        switch node.state {
        case .failed: return .failed
        case .abandoned: return .abandoned
        case .backingOff: return .backingOff
        default: break
        }
        if let details = node.supervisor {
            let used = model.windowCount(slot, at: now)
            if used > 0, used * 2 >= details.intensity.maxRestarts { return .nearLimit }
        }
        if recentRestarts > 0 { return .restartedRecently }
        if node.restartCount > 0, let at = node.lastExitAt, now - at < recentWindow, node.lastExit?.isAbnormal == true {
            return .restartedRecently
        }
        return nil
    }
}

/// Restarts per node within ``Trouble/recentWindow``, counted once from a model's restart ring.
public struct RecentRestarts: Sendable {
    private var counts: [ChildPath: Int] = [:]

    /// Counts the restarts of `model` after `now - Trouble.recentWindow`.
    public init(_ model: TreeModel, now: Duration) {
        let since = now - Trouble.recentWindow
        var offset = model.restarts.count - 1
        while offset >= 0 {
            let mark = model.restarts[offset]
            guard mark.time > since else { break }
            counts[mark.path, default: 0] += 1
            offset -= 1
        }
    }

    /// The restarts of `path` in the window.
    public subscript(path: ChildPath) -> Int { counts[path] ?? 0 }

    /// Whether nothing restarted in the window (the common, cheap case).
    public var isEmpty: Bool { counts.isEmpty }

    /// Whether `node` is flapping: at least ``Trouble/flappingThreshold`` restarts in the window
    /// that are its own (a child its supervisor started afresh has a restart count of 0, and
    /// earlier restarts at the same path do not count).
    public func isFlapping(_ node: ModelNode) -> Bool {
        min(self[node.path], node.restartCount) >= Trouble.flappingThreshold
    }
}
