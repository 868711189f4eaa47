import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Synchronization

// The remote scenarios of docs/BENCHMARKS.md: a tree served on a Unix socket in this process and
// a `RemoteSupervisor` talking to it over the real socket. Setup (tree, server, connection) is
// outside the measured region; the measured calls are what a dashboard or the CLI does.

/// A tree served on a fresh Unix socket, with one connected client.
public final class RemoteFixture: Sendable {
    private struct Parts: Sendable {
        var tree: SupervisorHandle
        var server: SupervisorServer
        var running: Task<Void, any Error>
        var client: RemoteSupervisor
    }

    private let parts = Mutex<Parts?>(nil)

    /// Creates an unstarted fixture.
    public init() {}

    /// The connected client.
    public var client: RemoteSupervisor {
        guard let client = parts.withLock({ $0?.client }) else { preconditionFailure("fixture not started") }
        return client
    }

    /// The served tree's local handle.
    public var tree: SupervisorHandle {
        guard let tree = parts.withLock({ $0?.tree }) else { preconditionFailure("fixture not started") }
        return tree
    }

    /// Starts `spec`, serves it on a Unix socket and connects a client.
    /// - Parameter eventBuffers: The event buffer of the tree, the server's backlog limit and the
    ///   client's stream buffer (large for throughput runs, so that nothing is dropped).
    public func start(_ spec: SupervisorSpec, eventBuffers: Int = 4096) async throws {
        let tree = try await SupervisorHandle.start(spec, options: SupervisionOptions(eventBufferSize: eventBuffers))
        let path = "/tmp/ashflare-bench-\(UInt32.random(in: 0...UInt32.max)).sock"
        var limits = SupervisorServer.Limits()
        limits.maxEventBacklog = eventBuffers
        let server = try await SupervisorServer.bind(
            serving: tree, configuration: .init(listeners: [.unixSocket(path: path)], limits: limits))
        let running = Task { try await server.run() }
        let client = RemoteSupervisor(
            endpoint: .unixSocket(path: path), configuration: .init(clientName: "bench", eventBufferSize: eventBuffers))
        try await client.connect()
        parts.withLock { $0 = Parts(tree: tree, server: server, running: running, client: client) }
    }

    /// Closes the client, stops the server and the tree.
    public func stop() async {
        guard let parts = parts.withLock({ $0.take() }) else { return }
        await parts.client.close()
        await parts.server.shutdown()
        _ = await parts.running.result
        await parts.tree.shutdown()
    }
}

/// Remote scenario 1: a snapshot of the 1,111-node tree, round trip over the Unix socket.
public enum RemoteSnapshot {
    /// Starts the depth-3, fan-out-10 tree behind a server.
    public static func start(_ fixture: RemoteFixture) async throws {
        try await fixture.start(DeepTree.spec())
        let nodes = try await fixture.client.snapshot().allNodes.count
        precondition(nodes == DeepTree.nodeCount(fanOut: 10), "expected 1111 nodes, got \(nodes)")
    }

    /// One remote snapshot; returns its node count's root children (to keep the work alive).
    public static func run(_ fixture: RemoteFixture) async throws -> Int {
        try await fixture.client.snapshot().root.children.count
    }
}

/// Remote scenario 2: event stream throughput — bursts of one-for-all restart rounds (about 400
/// events each) whose events all travel to the client over the Unix socket.
///
/// One-for-all rounds make events in bulk, so the measurement is of the remote path (encode,
/// batch, socket, decode, deliver) rather than of the crash loop that feeds it.
public final class RemoteEventBurst: Sendable {
    /// Drives the crashes of the trigger child.
    public let gate = CrashGate()
    /// The served tree and its client.
    public let fixture = RemoteFixture()
    /// The number of children under the supervisor.
    public let children: Int

    /// A burst over `children` children (the first one crashes on demand).
    public init(children: Int = 100) { self.children = children }

    /// Starts a one-for-all tree: a gated crasher and `children - 1` idle workers, served.
    public func start() async throws {
        let gate = self.gate
        var specs = [ChildSpec.worker("trigger", restart: .permanent, backoff: .none) { GatedCrashWorker(gate: gate) }]
        for index in 1..<children {
            specs.append(ChildSpec.worker("w\(index)", restart: .permanent, backoff: .none) { IdleWorker() })
        }
        let spec = SupervisorSpec("root", strategy: .oneForAll, intensity: unboundedIntensity, children: specs)
        try await fixture.start(spec, eventBuffers: 1 << 21)
        await gate.run(cycles: 1)
    }

    /// Runs `rounds` one-for-all rounds, each once the client has seen the previous one end (all
    /// `children` started again), and returns the number of events the client received.
    ///
    /// Rounds run one after the other because overlapping rounds restart a varying number of
    /// children; the remote path's own capacity is measured by ``RemoteEventCapacity``.
    /// - Parameter locally: Observe the tree in-process instead (the baseline the remote path is
    ///   compared with).
    public func run(rounds: Int, locally: Bool = false) async throws -> Int {
        let observation = locally ? fixture.tree.observe() : try await fixture.client.observe()
        var events = observation.events.makeAsyncIterator()
        var received = 0
        for _ in 0..<rounds {
            gate.release(cycles: 1)
            var started = 0
            while started < children, let event = await events.next() {
                received += 1
                if case .childStarted = event.kind { started += 1 }
                if case .lagged = event.kind { preconditionFailure("the client lagged: buffers too small") }
            }
            precondition(started == children, "the event stream ended early")
        }
        return received
    }

    /// Stops the client, the server and the tree.
    public func stop() async { await fixture.stop() }
}

/// Remote scenario 3: request latency of `kill`, round-robin over children that restart at once.
public final class RemoteKill: Sendable {
    /// The served tree and its client.
    public let fixture = RemoteFixture()
    /// The number of children under the supervisor.
    public let children: Int
    private let next = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)

    /// Kills round-robin over `children` children.
    public init(children: Int = 200) { self.children = children }

    /// Starts the tree, the server and the client.
    public func start() async throws {
        var specs: [ChildSpec] = []
        for index in 0..<children {
            specs.append(ChildSpec.worker("w\(index)", restart: .permanent, backoff: .none) { IdleWorker() })
        }
        try await fixture.start(SupervisorSpec("root", strategy: .oneForOne, intensity: unboundedIntensity, children: specs))
    }

    /// Kills the next child; a child still restarting from the previous round counts as refused.
    /// - Parameter locally: Kill through the tree's own handle (the baseline).
    public func killNext(locally: Bool = false) async throws {
        let index = next.add(1, ordering: .relaxed).oldValue % children
        let path = ChildPath(components: ["root", "w\(index)"])
        do {
            if locally { try await fixture.tree.kill(path) } else { try await fixture.client.kill(path) }
        } catch let error as SupervisorError where error.code == .childNotRunning {
            refused.add(1, ordering: .relaxed)
        }
    }

    /// Kills that found their child restarting.
    public var refusedKills: Int { refused.load(ordering: .relaxed) }

    /// Stops the client, the server and the tree.
    public func stop() async { await fixture.stop() }
}

/// Remote scenario 2b: the remote path's own event capacity — a synthetic
/// ``AshFlare/SupervisionControl`` whose `observe()` hands the server a ready-made burst of
/// events, so the measurement is encode, batching, the socket, decode and delivery, with no
/// supervision work feeding it.
public final class SyntheticEventSource: SupervisionControl {
    private let burst: Int
    private let root = NodeSnapshot(
        id: "synthetic", path: "synthetic", type: .supervisor, state: .running, restartPolicy: .permanent,
        shutdown: .infinity, backoff: .none, incarnation: 1, restartCount: 0, lastExit: nil, lastExitAt: nil,
        startedAt: .zero, supervisor: SupervisorDetails(strategy: .oneForOne, intensity: .default, recentRestarts: []),
        children: [])

    /// A source whose every `observe()` delivers `burst` events, then ends.
    public init(burst: Int) { self.burst = burst }

    /// A one-node snapshot.
    public func snapshot() async throws -> TreeSnapshot { TreeSnapshot(sequence: 0, time: .zero, root: root) }

    /// A snapshot and, already buffered, a burst of events.
    public func observe() async throws -> TreeObservation {
        let feed = EventFeed(capacity: burst + 1)
        var events: [SupervisorEvent] = []
        events.reserveCapacity(burst)
        let paths = (0..<100).map { ChildPath(components: ["synthetic", "w\($0)"]) }
        for sequence in 1...UInt64(burst) {
            let path = paths[Int(sequence % 100)]
            let kind: SupervisorEvent.Kind =
                switch sequence % 4 {
                case 0: .childExited(path: path, incarnation: sequence, reason: .killed)
                case 1: .restartScheduled(path: path, delay: .zero)
                case 2: .intensityChanged(supervisor: "synthetic", restarts: 1, maxRestarts: 3)
                default: .childStarted(path: path, incarnation: sequence + 1)
                }
            events.append(SupervisorEvent(sequence: sequence, time: .nanoseconds(Int64(sequence) * 1000), kind: kind))
        }
        // All buffered before the subscription starts, so the source never makes the server wait.
        // The feed stays open (a live tree); the client stops after `burst` events.
        feed.deliver(events)
        return TreeObservation(snapshot: try await snapshot(), events: feed.events(firstSequence: 1))
    }

    /// No children.
    public func whichChildren(of path: ChildPath) async throws -> [ChildInfo] { [] }
    /// No children.
    public func countChildren(of path: ChildPath) async throws -> ChildCounts { ChildCounts(specs: 0, active: 0, supervisors: 0, workers: 0) }
    /// Does nothing; returns the supervisor's path.
    public func startChild(template: String, arguments: [String], under supervisor: ChildPath) async throws -> ChildPath { supervisor }
    /// Does nothing.
    public func kill(_ path: ChildPath) async throws {}
    /// Does nothing.
    public func terminate(_ path: ChildPath) async throws {}
    /// Does nothing.
    public func restart(_ path: ChildPath) async throws {}
    /// Does nothing.
    public func delete(_ path: ChildPath) async throws {}
    /// Does nothing.
    public func kill(_ path: ChildPath, ifExecution execution: UInt64) async throws {}
    /// Does nothing.
    public func terminate(_ path: ChildPath, ifExecution execution: UInt64) async throws {}
    /// Does nothing.
    public func restart(_ path: ChildPath, ifExecution execution: UInt64) async throws {}
    /// Does nothing.
    public func delete(_ path: ChildPath, ifExecution execution: UInt64) async throws {}
    /// Does nothing.
    public func shutdown() async throws {}
    /// No logs: the source has no workers.
    public func logTail(of path: ChildPath, scope: LogScope, limit: Int?) async throws -> LogTail {
        throw SupervisorError(.childNotFound, "'\(path)' does not exist")
    }
    /// No logs: the source has no workers.
    public func followLog(of path: ChildPath, backlog: Int) async throws -> ChildLogLines {
        throw SupervisorError(.childNotFound, "'\(path)' does not exist")
    }
}

/// Serves a ``SyntheticEventSource`` and measures how fast a client receives its bursts.
public final class RemoteEventCapacity: Sendable {
    private let parts = Mutex<(SupervisorServer, Task<Void, any Error>, RemoteSupervisor)?>(nil)
    /// Events per burst.
    public let burst: Int

    /// Bursts of `burst` events.
    public init(burst: Int = 200_000) { self.burst = burst }

    /// Starts the tree, the server and the client.
    public func start() async throws {
        let path = "/tmp/ashflare-bench-\(UInt32.random(in: 0...UInt32.max)).sock"
        var limits = SupervisorServer.Limits()
        limits.maxEventBacklog = burst + 1
        let server = try await SupervisorServer.bind(
            serving: SyntheticEventSource(burst: burst), configuration: .init(listeners: [.unixSocket(path: path)], limits: limits))
        let running = Task { try await server.run() }
        let client = RemoteSupervisor(
            endpoint: .unixSocket(path: path), configuration: .init(clientName: "bench", eventBufferSize: burst + 1))
        try await client.connect()
        parts.withLock { $0 = (server, running, client) }
    }

    /// Subscribes and receives one whole burst; returns the number of events received.
    public func run() async throws -> Int {
        guard let client = parts.withLock({ $0?.2 }) else { preconditionFailure("not started") }
        let observation = try await client.observe()
        var received = 0
        for await event in observation.events {
            if case .lagged = event.kind { preconditionFailure("the client lagged") }
            received += 1
            if received == burst { break }
        }
        return received
    }

    /// Stops the client and the server.
    public func stop() async {
        guard let (server, running, client) = parts.withLock({ $0.take() }) else { return }
        await client.close()
        await server.shutdown()
        _ = await running.result
    }
}
