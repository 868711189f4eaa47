import AshFlare

/// Follows one tree for the dashboard: connects, observes (snapshot + events), re-observes after
/// `lagged`, reports a stopped tree or a lost connection and reconnects; answers snapshot
/// requests and performs control operations through ``SupervisionControl`` only.
///
/// **Deltas, not re-reads.** The dashboard's model follows the event stream; a full snapshot is
/// read only at connect, after `lagged` (or a gap, or an event the model cannot apply: it asks
/// through ``requestSnapshot()``), after a reconnect, and when the stream ends. There is one
/// exception, for what no event describes: while the last snapshot shows a process child's
/// pid/CPU/RSS or a supervisor's context store, the tree is re-read every ``slowRefresh``
/// (``snapshotOnlyFields(_:)``); a tree without them is never re-read on a timer.
public final class NodeFeed: Sendable {
    /// The tree.
    public let node: DashboardNode
    /// Its index in the dashboard.
    public let index: Int
    private let sink: any FeedSink
    private let control = Locked<(any SupervisionControl)?>(nil)
    private let refreshes: AsyncStream<Void>
    private let refreshRequests: AsyncStream<Void>.Continuation
    /// How long to wait before reconnecting, at first and at most.
    private let retryDelays: (first: Duration, maximum: Duration)
    /// How often a tree whose snapshot holds fields no event carries is re-read in full.
    public let slowRefresh: Duration
    private let sleep: @Sendable (Duration) async throws -> Void
    /// Whether the last snapshot posted had ``snapshotOnlyFields(_:)``.
    private let needsSlowRefresh = Locked(false)

    /// Creates a feed for `node` (number `index`) that reports to `sink`.
    /// - Parameters:
    ///   - slowRefresh: How often to re-read a tree whose snapshot shows process figures or a
    ///     context store (nothing else is re-read on a timer).
    ///   - clock: Times ``slowRefresh``.
    public init(node: DashboardNode, index: Int, sink: any FeedSink,
                retryDelays: (first: Duration, maximum: Duration) = (.milliseconds(250), .seconds(5)),
                slowRefresh: Duration = .seconds(10), clock: some Clock<Duration> = ContinuousClock()) {
        self.node = node
        self.index = index
        self.sink = sink
        self.retryDelays = retryDelays
        self.slowRefresh = slowRefresh
        self.sleep = { try await clock.sleep(for: $0) }
        (refreshes, refreshRequests) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Follows the tree until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.serveRefreshes() }
            group.addTask { await self.refreshSlowly() }
            await self.follow()
            group.cancelAll()
        }
    }

    /// Whether `snapshot` shows fields that no event updates (a process child's pid/CPU/RSS, a
    /// supervisor's context store), so that only re-reading keeps them current.
    public static func snapshotOnlyFields(_ snapshot: TreeSnapshot) -> Bool {
        var stack = [snapshot.root]
        while let node = stack.popLast() {
            if node.process != nil || node.supervisor?.context != nil { return true }
            stack.append(contentsOf: node.children)
        }
        return false
    }

    /// Asks for a fresh snapshot (coalesced: many requests while one runs give one more).
    public func requestSnapshot() { refreshRequests.yield() }

    private func follow() async {
        var delay = retryDelays.first
        while !Task.isCancelled {
            sink.post(.connecting(node: index))
            do {
                let connected = try await node.connect()
                control.withLock { $0 = connected }
                delay = retryDelays.first
                try await observe(connected)
                // The stream ended: the tree stopped, or the connection closed.
                let last = try await connected.snapshot()
                post(last)
                if !last.root.state.isActive { sink.post(.treeStopped(node: index)) }
                delay = retryDelays.maximum
            } catch is CancellationError {
                break
            } catch {
                control.withLock { $0 = nil }
                sink.post(.disconnected(node: index, reason: Self.describe(error)))
            }
            guard (try? await Task.sleep(for: delay)) != nil else { break }
            delay = min(delay * 2, retryDelays.maximum)
        }
        refreshRequests.finish()
    }

    /// Observes until the stream ends; re-observes after `lagged`.
    private func observe(_ control: any SupervisionControl) async throws {
        while !Task.isCancelled {
            let observation = try await control.observe()
            post(observation.snapshot)
            var lagged = false
            for await event in observation.events {
                sink.post(event: event, node: index)
                if case .lagged = event.kind {
                    lagged = true
                    break
                }
            }
            if !lagged { return }
        }
        throw CancellationError()
    }

    private func serveRefreshes() async {
        for await _ in refreshes {
            guard let control = control.withLock({ $0 }) else { continue }
            if let snapshot = try? await control.snapshot() { post(snapshot) }
        }
    }

    /// Re-reads the tree every ``slowRefresh`` while its last snapshot had snapshot-only fields
    /// (posted before the next wait begins).
    private func refreshSlowly() async {
        while (try? await sleep(slowRefresh)) != nil {
            guard needsSlowRefresh.withLock({ $0 }), let control = control.withLock({ $0 }) else { continue }
            if let snapshot = try? await control.snapshot() { post(snapshot) }
        }
    }

    private func post(_ snapshot: TreeSnapshot) {
        let slow = Self.snapshotOnlyFields(snapshot)
        needsSlowRefresh.withLock { $0 = slow }
        sink.post(.snapshot(node: index, snapshot))
    }

    /// Performs `request` if the target still has the incarnation the user saw.
    public func perform(_ request: ControlRequest) async -> ControlResult {
        guard let control = control.withLock({ $0 }) else {
            return ControlResult(request: request, succeeded: false, message: "\(request.summary): \(node.name) is not connected")
        }
        return await ControlExecutor.perform(request, on: control)
    }

    /// The newest `limit` lines of the log of worker `path` (any incarnation); nil while not
    /// connected or when the tree refuses (e.g. the worker has gone).
    public func logLines(of path: ChildPath, limit: Int) async -> [LogLine]? {
        guard let control = control.withLock({ $0 }) else { return nil }
        return try? await control.logTail(of: path, scope: .all, limit: limit).lines
    }

    /// The tree while connected (for the logs pane and recordings); nil otherwise.
    public var currentControl: (any SupervisionControl)? { control.withLock { $0 } }

    static func describe(_ error: any Error) -> String {
        (error as? SupervisorError)?.message ?? String(describing: error)
    }
}
