import AshFlare
import AshFlareDashboard

/// Records what a dashboard watches of one tree: the snapshot, then every event, with check
/// snapshots every ``checkEvery`` events and a fresh snapshot wherever a model following the
/// events lost track (as the live dashboard re-reads then).
///
/// ```swift
/// let file = try RecordingFile(creating: "shop.rec")
/// let summary = try await TreeRecorder().record(tree, name: "shop", source: "in-process", startedAt: now, into: file)
/// ```
/// Runs until the task is cancelled or the tree's event stream ends (the tree stopped, the
/// connection closed); then writes a last check snapshot if the tree is still readable and
/// quiet.
public struct TreeRecorder: Sendable {
    /// A check snapshot is taken after this many events.
    public var checkEvery: Int

    /// Creates a recorder.
    public init(checkEvery: Int = 1000) {
        self.checkEvery = max(1, checkEvery)
    }

    /// Records `control` into `sink`.
    /// - Parameters:
    ///   - name: The tree's name in the header.
    ///   - source: Where the tree was reached, for the header.
    ///   - startedAt: The wall-clock start, ISO 8601 UTC, for the header.
    ///   - started: Called once the header and the first snapshot are written.
    public func record(
        _ control: any SupervisionControl, name: String, source: String, startedAt: String, into sink: some RecordingSink,
        started: () -> Void = {}
    ) async throws -> RecordingSummary {
        var summary = RecordingSummary()
        var observation = try await control.observe()
        try sink.write(RecordingFormat.encode(RecordingHeader(tree: name, startedAt: startedAt, source: source, checkEvery: checkEvery)))
        try sink.write(RecordingFormat.encode(.snapshot(observation.snapshot)))
        try sink.flush()
        started()
        var model = TreeModel(observation.snapshot)
        var lastWritten = observation.snapshot.sequence
        var pendingChecks: [TreeSnapshot] = []
        var sinceCheck = 0
        do {
            while !Task.isCancelled {
                var lagged = false
                for await event in observation.events {
                    if case .lagged = event.kind {
                        lagged = true
                        break
                    }
                    try sink.write(RecordingFormat.encode(.event(event)))
                    summary.events += 1
                    lastWritten = event.sequence
                    model.apply(event)
                    // A check goes right after the event with its sequence number.
                    while let check = pendingChecks.first, check.sequence <= lastWritten {
                        pendingChecks.removeFirst()
                        // (Not when a re-read snapshot written earlier is already past it.)
                        if check.sequence == lastWritten && check.sequence >= model.sequence {
                            try sink.write(RecordingFormat.encode(.check(check)))
                            summary.checks += 1
                        }
                    }
                    if model.needsResync {
                        // What the dashboard does: re-read. The replay loads this line and skips
                        // the events already in it.
                        let snapshot = try await control.snapshot()
                        model.load(snapshot)
                        try sink.write(RecordingFormat.encode(.snapshot(snapshot)))
                        summary.resyncs += 1
                    }
                    sinceCheck += 1
                    if sinceCheck >= checkEvery {
                        sinceCheck = 0
                        let snapshot = try await control.snapshot()
                        if snapshot.sequence == lastWritten {
                            try sink.write(RecordingFormat.encode(.check(snapshot)))
                            summary.checks += 1
                        } else if snapshot.sequence > lastWritten {
                            pendingChecks.append(snapshot)
                        }
                    }
                    try sink.flushIfNeeded()
                }
                guard lagged, !Task.isCancelled else { break }
                // The recorder fell behind the tree: start again from a fresh observation.
                observation = try await control.observe()
                model = TreeModel(observation.snapshot)
                lastWritten = observation.snapshot.sequence
                pendingChecks.removeAll()
                try sink.write(RecordingFormat.encode(.snapshot(observation.snapshot)))
                summary.resyncs += 1
            }
        } catch {
            // Cancelled (Ctrl-C, R again): a remote read in flight ends with an error; the lines
            // written so far are the recording.
            guard Task.isCancelled || error is CancellationError else {
                try? sink.flush()
                throw error
            }
        }
        if !Task.isCancelled, let last = try? await control.snapshot(), last.sequence == lastWritten {
            try sink.write(RecordingFormat.encode(.check(last)))
            summary.checks += 1
        }
        try sink.flush()
        return summary
    }
}

/// What a recording holds, for the status line.
public struct RecordingSummary: Hashable, Sendable {
    /// Event lines written.
    public var events = 0
    /// Check snapshot lines written.
    public var checks = 0
    /// Snapshot lines written after the first (a model following the events lost track, or the recorder lagged).
    public var resyncs = 0

    /// Creates an empty summary.
    public init() {}
}

/// Where a recorder writes its lines.
public protocol RecordingSink: AnyObject {
    /// Appends one line (without its newline).
    func write(_ line: String) throws
    /// Writes out what is buffered if enough has gathered.
    func flushIfNeeded() throws
    /// Writes out everything buffered.
    func flush() throws
}
