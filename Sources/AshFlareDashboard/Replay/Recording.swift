import AshFlare

/// What a recording holds (`flare record`, `R` in the dashboard): one tree's snapshot, then every
/// event, with snapshots in between. Read from and written to JSON lines by `AshFlareRecording`
/// (docs/RECORDING.md); replayed by ``ReplayPlayer``.
public struct Recording: Sendable {
    /// The first line: format version, tree, start time.
    public var header: RecordingHeader
    /// Everything after the header, in file order; the first is a ``RecordingEntry/snapshot(_:)``.
    public var entries: [RecordingEntry]

    /// Creates a recording.
    public init(header: RecordingHeader, entries: [RecordingEntry]) {
        self.header = header
        self.entries = entries
    }
}

/// The first line of a recording.
public struct RecordingHeader: Hashable, Sendable {
    /// The format version this build writes (and the newest it reads).
    public static let currentVersion = 1

    /// The format version of the file.
    public var version: Int
    /// The tree's name as the dashboard showed it.
    public var tree: String
    /// When the recording began, in UTC, ISO 8601 (`2026-12-02T02:21:00Z`); for people only.
    public var startedAt: String
    /// Where the tree was reached (`unix:///tmp/shop.sock`, `in-process`).
    public var source: String
    /// A ``RecordingEntry/check(_:)`` snapshot is written after about this many events.
    public var checkEvery: Int

    /// Creates a header.
    public init(version: Int = RecordingHeader.currentVersion, tree: String, startedAt: String, source: String, checkEvery: Int) {
        self.version = version
        self.tree = tree
        self.startedAt = startedAt
        self.source = source
        self.checkEvery = checkEvery
    }
}

/// One line of a recording after the header.
public enum RecordingEntry: Sendable {
    /// A snapshot the replay loads: the first line, and wherever the recorder's model lost track
    /// (after `lagged`, or a change that events do not describe yet). Events already contained
    /// in it (by sequence number) are skipped.
    case snapshot(TreeSnapshot)
    /// A snapshot taken every ``RecordingHeader/checkEvery`` events and written right after the
    /// event with its sequence number: the tree as the engine saw it at that point, against which
    /// a replay checks itself.
    case check(TreeSnapshot)
    /// An event.
    case event(SupervisorEvent)

    /// The tree time of the entry.
    public var time: Duration {
        switch self {
        case .snapshot(let snapshot), .check(let snapshot): snapshot.time
        case .event(let event): event.time
        }
    }
}
