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

/// Remote scenario 2: event stream throughput — a burst of crash → restart cycles whose events
/// all travel to the client over the Unix socket.
public final class RemoteEventBurst: Sendable {
    public let gate = CrashGate()
    public let fixture = RemoteFixture()

    public init() {}

    /// Starts a one-for-one tree with one gated crasher, served, with large event buffers.
    public func start() async throws {
        let gate = self.gate
        let spec = SupervisorSpec("root", strategy: .oneForOne, intensity: unboundedIntensity) {
            ChildSpec.worker("a", restart: .permanent, backoff: .none) { GatedCrashWorker(gate: gate) }
        }
        try await fixture.start(spec, eventBuffers: 1 << 21)
        await gate.run(cycles: 1)
    }

    /// Runs `cycles` crash cycles and waits until the client has received every event of them.
    /// - Returns: The number of events the client received.
    public func run(cycles: Int) async throws -> Int {
        let observation = try await fixture.client.observe()
        var events = observation.events.makeAsyncIterator()
        gate.release(cycles: cycles)
        var received = 0
        var restarts = 0
        while restarts < cycles, let event = await events.next() {
            received += 1
            if case .childStarted = event.kind { restarts += 1 }
            if case .lagged = event.kind { preconditionFailure("the client lagged: buffers too small") }
        }
        precondition(restarts == cycles, "the event stream ended early")
        return received
    }

    public func stop() async { await fixture.stop() }
}

/// Remote scenario 3: request latency of `kill`, round-robin over children that restart at once.
public final class RemoteKill: Sendable {
    public let fixture = RemoteFixture()
    public let children: Int
    private let next = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)

    public init(children: Int = 200) { self.children = children }

    public func start() async throws {
        var specs: [ChildSpec] = []
        for index in 0..<children {
            specs.append(ChildSpec.worker("w\(index)", restart: .permanent, backoff: .none) { IdleWorker() })
        }
        try await fixture.start(SupervisorSpec("root", strategy: .oneForOne, intensity: unboundedIntensity, children: specs))
    }

    /// Kills the next child; a child still restarting from the previous round counts as refused.
    public func killNext() async throws {
        let index = next.add(1, ordering: .relaxed).oldValue % children
        do {
            try await fixture.client.kill(ChildPath(components: ["root", "w\(index)"]))
        } catch let error as SupervisorError where error.code == .childNotRunning {
            refused.add(1, ordering: .relaxed)
        }
    }

    /// Kills that found their child restarting.
    public var refusedKills: Int { refused.load(ordering: .relaxed) }

    public func stop() async { await fixture.stop() }
}
