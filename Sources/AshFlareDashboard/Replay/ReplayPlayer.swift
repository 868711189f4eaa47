import AshFlare

/// The timeline of a replay: which entries of a ``Recording`` have been applied to a
/// ``TreeModel``, the replay's position on the tree's clock, pause and speed.
///
/// Pure: the caller owns the model and passes it in, so a frame never copies it. Playing
/// forward applies entries in file order exactly as the live dashboard applied them: events
/// by ``TreeModel/apply(_:)``, ``RecordingEntry/snapshot(_:)`` lines by ``TreeModel/load(_:)``;
/// a ``RecordingEntry/check(_:)`` line is loaded only when the model has lost track. Jumping
/// back starts from the nearest snapshot or check line before the target.
public struct ReplayPlayer: Sendable {
    /// The recording.
    public let recording: Recording
    /// How many entries have been applied (the next one is `recording.entries[position]`).
    public private(set) var position = 0
    /// The replay's position on the tree's clock.
    public private(set) var time: Duration = .zero
    /// Whether time runs (space pauses and resumes). Stops at the end.
    public internal(set) var playing = true
    /// Tree seconds per wall second (`+` doubles, `-` halves; 1/8 to 64).
    public internal(set) var speed: Double = 1
    /// The indices of the snapshot and check lines (where a jump can start).
    private let keyframes: [Int]
    /// The indices of the event lines.
    private let eventIndices: [Int]
    /// The tree time of the first entry.
    public let start: Duration
    /// The latest tree time of any entry.
    public let end: Duration

    /// The slowest and fastest speeds.
    public static let speeds: ClosedRange<Double> = 0.125...64

    /// Prepares `recording` and loads its first snapshot into `model`.
    /// - Throws: ``ReplayError`` when the recording does not begin with a snapshot.
    public init(_ recording: Recording, model: inout TreeModel) throws(ReplayError) {
        guard case .snapshot(let first)? = recording.entries.first else {
            throw ReplayError("the recording has no snapshot after its header; it cannot be replayed")
        }
        self.recording = recording
        var keyframes: [Int] = []
        var events: [Int] = []
        var end = first.time
        for (index, entry) in recording.entries.enumerated() {
            switch entry {
            case .snapshot, .check: keyframes.append(index)
            case .event: events.append(index)
            }
            end = max(end, entry.time)
        }
        self.keyframes = keyframes
        self.eventIndices = events
        self.start = first.time
        self.end = end
        model = TreeModel()
        model.load(first)
        position = 1
        time = first.time
    }

    /// The number of events in the recording.
    public var eventCount: Int { eventIndices.count }

    /// How many events have been applied.
    public var eventsApplied: Int { Self.countBelow(position, in: eventIndices) }

    /// Whether every entry has been applied.
    public var atEnd: Bool { position >= recording.entries.count }

    /// The next entry to apply, if any.
    public var nextEntry: RecordingEntry? { atEnd ? nil : recording.entries[position] }

    /// How far the replay is, 0 to 1, by time.
    public var fraction: Double {
        let total = end - start
        guard total > .zero else { return atEnd ? 1 : 0 }
        return min(1, max(0, (time - start) / total))
    }

    /// Applies the next entry to `model` and returns it (nil at the end).
    @discardableResult
    public mutating func applyNext(to model: inout TreeModel) -> RecordingEntry? {
        guard !atEnd else { return nil }
        let entry = recording.entries[position]
        position += 1
        switch entry {
        case .snapshot(let snapshot):
            model.load(snapshot)
        case .check(let snapshot):
            if model.needsResync { model.load(snapshot) }
        case .event(let event):
            model.apply(event)
        }
        time = max(time, entry.time)
        return entry
    }

    /// Applies the entries before `target` (the loop of a jump: no entry is copied out).
    private mutating func applyEntries(upTo target: Int, to model: inout TreeModel) {
        while position < target {
            switch recording.entries[position] {
            case .event(let event):
                model.apply(event)
                if event.time > time { time = event.time }
            case .snapshot(let snapshot):
                model.load(snapshot)
                if snapshot.time > time { time = snapshot.time }
            case .check(let snapshot):
                if model.needsResync { model.load(snapshot) }
                if snapshot.time > time { time = snapshot.time }
            }
            position += 1
        }
    }

    /// Lets `wall` pass at the current speed while playing, applying every entry up to the new
    /// time; returns the events applied (for the event log).
    public mutating func play(_ model: inout TreeModel, for wall: Duration) -> [SupervisorEvent] {
        guard playing, wall > .zero else { return [] }
        let target = time + wall * speed
        var events: [SupervisorEvent] = []
        while let next = nextEntry, next.time <= target {
            if case .event(let event) = applyNext(to: &model) { events.append(event) }
        }
        time = min(max(time, target), end)
        if atEnd {
            time = end
            playing = false
        }
        return events
    }

    /// Applies entries up to and including the next event (`.`); returns it.
    public mutating func stepForward(_ model: inout TreeModel) -> SupervisorEvent? {
        while let entry = applyNext(to: &model) {
            if case .event(let event) = entry { return event }
        }
        return nil
    }

    /// Takes back the last applied event (`,`).
    public mutating func stepBack(_ model: inout TreeModel) {
        let applied = eventsApplied
        guard applied > 0 else { return }
        seek(&model, toEntry: eventIndices[applied - 1])
    }

    /// Rebuilds `model` with exactly the entries before `index` applied (from the nearest
    /// snapshot or check line at or before `index - 1`).
    public mutating func seek(_ model: inout TreeModel, toEntry index: Int) {
        let target = min(max(1, index), recording.entries.count)
        if target < position || position == 0 {
            let below = Self.countBelow(target, in: keyframes)
            let keyframe = keyframes[max(0, below - 1)]
            model = TreeModel()
            if case .snapshot(let snapshot) = recording.entries[keyframe] { model.load(snapshot) }
            if case .check(let snapshot) = recording.entries[keyframe] { model.load(snapshot) }
            position = keyframe + 1
            time = recording.entries[keyframe].time
        }
        applyEntries(upTo: target, to: &model)
        time = recording.entries[target - 1].time
    }

    /// Moves to tree time `time`: every entry at or before it applied, none after.
    public mutating func seek(_ model: inout TreeModel, toTime target: Duration) {
        let clamped = min(max(target, start), end)
        var index = 1
        while index < recording.entries.count, recording.entries[index].time <= clamped { index += 1 }
        seek(&model, toEntry: index)
        time = clamped
        if atEnd { playing = false }
    }

    /// The events of the last `limit` event lines before ``position`` (the event log after a jump).
    public func recentEvents(limit: Int) -> [SupervisorEvent] {
        let applied = eventsApplied
        return eventIndices[max(0, applied - limit)..<applied].compactMap {
            if case .event(let event) = recording.entries[$0] { event } else { nil }
        }
    }

    /// How many of the sorted `indices` are below `bound`.
    private static func countBelow(_ bound: Int, in indices: [Int]) -> Int {
        var low = 0, high = indices.count
        while low < high {
            let middle = (low + high) / 2
            if indices[middle] < bound { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Why a recording cannot be replayed, or a replay command was refused.
public struct ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
