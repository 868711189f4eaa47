/// Which stream a child's log line came from.
public enum LogStream: String, Hashable, Sendable, Codable, CaseIterable {
    /// A process child's standard output.
    case stdout
    /// A process child's standard error.
    case stderr
    /// A task worker's swift-log `Logger`, routed into its node.
    case logger
}

/// Where the incarnations of one child write their log lines.
///
/// One per child, kept across restarts, so the lines of the previous incarnation are still
/// there after a crash. A worker receives it on ``ChildContext/log`` (and a `Logger` writing
/// into it on ``ChildContext/logger``); process children write their standard output and error
/// into it line by line.
///
/// The ring is bounded by lines and bytes (``LogLimits``); each line is stamped with a
/// per-child sequence number, the incarnation and the tree's clock. Appending takes only this
/// log's own small lock and never waits: a follower that reads slower than the child writes
/// misses the lines that fall off the ring and is told so (``ChildLogEntry/lagged(missed:)``).
public final class ChildLog: Sendable {
    private struct State: Sendable {
        var ring: LogRing
        var incarnation: UInt64 = 0
        /// Followers waiting for the next line, by follower id.
        var waiters: [UInt64: UnsafeContinuation<Void, Never>] = [:]
        var nextWaiterID: UInt64 = 0
        var missedByFollowers: UInt64 = 0
        /// The child's spec was removed (or its supervisor stopped): followers end.
        var isClosed = false
    }

    private let state: Locked<State>
    private let now: @Sendable () -> Duration

    /// Creates an empty log with the default limits, stamped with the time since its creation.
    public convenience init() {
        self.init(limits: LogLimits(), clock: ElapsedClock(ContinuousClock()))
    }

    /// Creates an empty log with `limits`, stamped with `clock`'s time.
    package init(limits: LogLimits, clock: ElapsedClock) {
        state = Locked(State(ring: LogRing(limits: limits)))
        now = clock.now
    }

    /// Appends one line (without its newline) written by `stream`.
    ///
    /// Never waits: a line longer than ``LogLimits/maxLineBytes`` is cut and marked, and the
    /// oldest lines past the bounds fall off.
    public func append(_ line: String, stream: LogStream) {
        let time = now()
        let waiters = state.withLock { state -> [UnsafeContinuation<Void, Never>] in
            guard !state.isClosed else { return [] }
            state.ring.append(line, stream: stream, incarnation: state.incarnation, time: time)
            guard !state.waiters.isEmpty else { return [] }
            defer { state.waiters.removeAll(keepingCapacity: true) }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The newest `limit` lines (all when nil) of `scope`, and where the log stands.
    public func tail(_ scope: LogScope = .current, limit: Int? = nil) -> LogTail {
        state.withLock { state in
            LogTail(
                lines: state.ring.lines(scope, current: state.incarnation, limit: limit), incarnation: state.incarnation,
                nextSequence: state.ring.nextSequence, evictedLines: state.ring.evicted,
                missedByFollowers: state.missedByFollowers)
        }
    }

    /// Follows the log: up to `backlog` of the newest lines already held, then every line
    /// written from now on, gap-free, across restarts; ends when the child is removed.
    public func follow(backlog: Int = 0) -> ChildLogLines {
        let start = state.withLock { state in
            max(state.ring.firstSequence, state.ring.nextSequence - UInt64(min(max(0, backlog), state.ring.count)))
        }
        return ChildLogLines(log: self, from: start)
    }

    /// Follows the log from line `sequence` (e.g. a tail's ``LogTail/nextSequence``), so a
    /// reader that tailed first misses nothing in between.
    public func follow(from sequence: UInt64) -> ChildLogLines {
        ChildLogLines(log: self, from: sequence)
    }

    // MARK: Engine

    /// Stamps the lines written from now on with `incarnation` (the engine calls it at launch).
    func begin(incarnation: UInt64) {
        state.withLock { $0.incarnation = incarnation }
    }

    /// Ends every follower once it has read what is held; later lines are not kept.
    func close() {
        let waiters = state.withLock { state -> [UnsafeContinuation<Void, Never>] in
            state.isClosed = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The entry at `cursor` and the cursor after it, waiting for a line if there is none yet;
    /// nil once the log is closed and read, or when the waiting task is cancelled.
    func entry(at cursor: UInt64) async -> (ChildLogEntry, next: UInt64)? {
        enum Ready { case entry(ChildLogEntry, UInt64), end, wait(UInt64) }
        while true {
            let ready = state.withLock { state -> Ready in
                let first = state.ring.firstSequence
                if cursor < first {
                    state.missedByFollowers += first - cursor
                    return .entry(.lagged(missed: first - cursor), first)
                }
                if let line = state.ring.line(cursor) { return .entry(.line(line), cursor + 1) }
                if state.isClosed { return .end }
                state.nextWaiterID += 1
                return .wait(state.nextWaiterID)
            }
            switch ready {
            case .entry(let entry, let next): return (entry, next)
            case .end: return nil
            case .wait(let waiterID):
                await waitForLine(after: cursor, waiter: waiterID)
                if Task.isCancelled { return nil }
            }
        }
    }

    private func waitForLine(after cursor: UInt64, waiter id: UInt64) async {
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.ring.nextSequence > cursor || state.isClosed || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Followers waiting for a line (for tests).
    var waitingFollowers: Int { state.withLock { $0.waiters.count } }
}
