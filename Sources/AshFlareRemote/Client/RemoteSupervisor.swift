import AshFlare
import NIOCore
import NIOPosix

/// A supervision tree in another process, driven through the same ``AshFlare/SupervisionControl``
/// protocol as a local ``AshFlare/SupervisorHandle``.
///
/// ```swift
/// let shop = RemoteSupervisor(endpoint: try RemoteEndpoint(url: "unix:///run/shop/flare.sock"))
/// let observation = try await shop.observe()      // connects and says hello on first use
/// try await shop.kill("shop/db/pool")
/// for await event in observation.events { print(event) }
/// ```
///
/// All requests and event subscriptions share one connection. Errors of the tree arrive as
/// ``AshFlare/SupervisorError``, exactly as locally; everything else is a ``RemoteError``.
///
/// **Connection loss.** Requests in flight fail with ``RemoteError/Code/connectionLost`` (or the
/// reason the server gave, such as `idleTimeout`), every event stream ends, and
/// ``lastConnectionError`` says why. The next call connects again, so calling ``observe()``
/// again resumes watching with a fresh snapshot. Nothing is retried behind the caller's back.
public final class RemoteSupervisor: SupervisionControl {
    private enum Link {
        case idle
        case connecting(Task<(ClientConnection, ServerHello), any Error>)
        case connected(ClientConnection, ServerHello)
        case closed
    }

    private struct State {
        var link: Link = .idle
        var generation = 0
        var lastConnectionError: RemoteError?
    }

    /// Where the tree is served.
    public let endpoint: RemoteEndpoint
    private let configuration: Configuration
    private let state = Locked(State())

    /// Creates a client for `endpoint`; it connects on first use (or ``connect()``).
    public init(endpoint: RemoteEndpoint, configuration: Configuration = Configuration()) {
        self.endpoint = endpoint
        self.configuration = configuration
    }

    /// Creates a client and connects it at once.
    /// - Throws: ``RemoteError`` with code `connectionFailed`, `unauthorized`, `unsupportedVersion`, …
    public static func connect(to endpoint: RemoteEndpoint, configuration: Configuration = Configuration()) async throws -> RemoteSupervisor {
        let client = RemoteSupervisor(endpoint: endpoint, configuration: configuration)
        try await client.connect()
        return client
    }

    /// Connects and performs the handshake, unless already connected.
    /// - Returns: What the server said in reply to `hello`.
    @discardableResult
    public func connect() async throws -> ServerHello {
        try await link().1
    }

    /// The server's hello reply on the current connection, or `nil` while not connected.
    public var hello: ServerHello? {
        state.withLock { state in
            if case .connected(_, let hello) = state.link { return hello }
            return nil
        }
    }

    /// Why the last connection ended; `nil` while connected, before the first connection, and
    /// after ``close()``.
    ///
    /// Set before any event stream of that connection finishes, so a consumer whose stream ended
    /// can tell a stopped tree (`nil`) from a lost connection.
    public var lastConnectionError: RemoteError? { state.withLock { $0.lastConnectionError } }

    /// Closes the connection; later calls fail with ``RemoteError/Code/closed``.
    public func close() async {
        let link = state.withLock { state -> Link in
            defer { state.link = .closed }
            return state.link
        }
        switch link {
        case .connected(let connection, _): connection.close(RemoteError(.closed, "the client was closed"))
        case .connecting(let task):
            task.cancel()
            if let (connection, _) = try? await task.value { connection.close(RemoteError(.closed, "the client was closed")) }
        case .idle, .closed: break
        }
    }

    // MARK: SupervisionControl

    /// The whole remote tree at one instant.
    public func snapshot() async throws -> TreeSnapshot {
        guard case .snapshot(let snapshot) = try await request(.snapshot) else { throw unexpected("snapshot") }
        return snapshot
    }

    /// A snapshot and exactly the events after it, with no gap and no duplicate.
    ///
    /// The events end when the remote tree stops or the connection is lost (see
    /// ``lastConnectionError``). A consumer that falls more than
    /// ``Configuration/eventBufferSize`` events behind gets a `lagged` event, as locally.
    public func observe() async throws -> TreeObservation {
        let (connection, _) = try await link()
        return try await connection.observe()
    }

    /// The direct children of the supervisor at `path`, in start order.
    public func whichChildren(of path: ChildPath) async throws -> [ChildInfo] {
        guard case .children(let children) = try await request(.whichChildren(path)) else { throw unexpected("whichChildren") }
        return children
    }

    /// Counts of the direct children of the supervisor at `path`.
    public func countChildren(of path: ChildPath) async throws -> ChildCounts {
        guard case .counts(let counts) = try await request(.countChildren(path)) else { throw unexpected("countChildren") }
        return counts
    }

    /// Starts a child from a template of the supervisor at `supervisor`; returns its path.
    @discardableResult
    public func startChild(template: String, arguments: [String] = [], under supervisor: ChildPath) async throws -> ChildPath {
        let result = try await request(.startChild(supervisor: supervisor, template: template, arguments: arguments))
        guard case .started(let path) = result else { throw unexpected("startChild") }
        return path
    }

    /// Fault injection: the child dies with reason `killed` and its restart policy applies.
    public func kill(_ path: ChildPath) async throws { _ = try await request(.kill(path)) }

    /// Stops the child and keeps its spec.
    public func terminate(_ path: ChildPath) async throws { _ = try await request(.terminate(path)) }

    /// Starts a stopped child again.
    public func restart(_ path: ChildPath) async throws { _ = try await request(.restart(path)) }

    /// Removes a stopped child's spec.
    public func delete(_ path: ChildPath) async throws { _ = try await request(.delete(path)) }

    /// Like ``kill(_:)``, only if the child is still execution `execution` (``AshFlare/NodeSnapshot/execution``):
    /// one request, checked by the child's supervisor, so a restart in between fails with
    /// `staleExecution` instead of killing the new execution.
    /// - Throws: ``AshFlare/SupervisorError`` `staleExecution`; ``RemoteError/Code/unsupportedVersion``,
    ///   sending nothing, when the connection speaks protocol v1 (which has no conditions).
    public func kill(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        _ = try await conditionalRequest(.kill(path, ifExecution: execution))
    }

    /// Like ``terminate(_:)``, only if the child is still execution `execution`; else `staleExecution`.
    public func terminate(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        _ = try await conditionalRequest(.terminate(path, ifExecution: execution))
    }

    /// Like ``restart(_:)``, only if the stopped child's last execution is `execution`; else `staleExecution`.
    public func restart(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        _ = try await conditionalRequest(.restart(path, ifExecution: execution))
    }

    /// Like ``delete(_:)``, only if the stopped child's last execution is `execution`; else `staleExecution`.
    public func delete(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        _ = try await conditionalRequest(.delete(path, ifExecution: execution))
    }

    /// Stops the remote tree; returns when it has stopped.
    public func shutdown() async throws { _ = try await request(.shutdown) }

    /// The newest `limit` lines (all when nil) of `scope` of the log of the child at `path`.
    public func logTail(of path: ChildPath, scope: LogScope = .current, limit: Int? = nil) async throws -> LogTail {
        guard case .logTail(let tail) = try await request(.logs(path, scope: scope, limit: limit)) else { throw unexpected("logs") }
        return tail
    }

    /// Follows the log of the child at `path`: up to `backlog` held lines, then every new one.
    ///
    /// The lines end when the child is removed, the remote tree stops or the connection is lost
    /// (see ``lastConnectionError``). A reader that falls behind — the server's or this
    /// client's buffer of ``Configuration/eventBufferSize`` entries — gets
    /// ``AshFlare/ChildLogEntry/lagged(missed:)``, as locally.
    public func followLog(of path: ChildPath, backlog: Int = 0) async throws -> ChildLogLines {
        let (connection, _) = try await link()
        return try await connection.followLog(of: path, backlog: backlog)
    }

    /// Sends a `ping` and waits for the answer (a liveness check).
    public func ping() async throws { _ = try await request(.ping) }

    // MARK: Connection

    private func request(_ operation: WireRequest.Operation) async throws -> WireResult {
        let (connection, _) = try await link()
        return try await connection.request(operation)
    }

    /// Sends a request with `ifExecution`, which only protocol v2 carries: a v1 server would
    /// ignore the condition, so nothing is sent to one.
    private func conditionalRequest(_ operation: WireRequest.Operation) async throws -> WireResult {
        let (connection, hello) = try await link()
        guard hello.version >= 2 else {
            throw RemoteError(
                .unsupportedVersion,
                "the server speaks protocol version \(hello.version), which has no conditional '\(operation.name)' (ifExecution); nothing was sent")
        }
        return try await connection.request(operation)
    }

    private func unexpected(_ op: String) -> RemoteError {
        RemoteError(.protocolViolation, "the reply to '\(op)' has an unexpected shape")
    }

    /// The open connection, connecting first if there is none.
    private func link() async throws -> (ClientConnection, ServerHello) {
        enum Step {
            case ready(ClientConnection, ServerHello)
            case wait(Task<(ClientConnection, ServerHello), any Error>, generation: Int)
        }
        let step = try state.withLock { state throws(RemoteError) -> Step in
            switch state.link {
            case .connected(let connection, let hello):
                return .ready(connection, hello)
            case .connecting(let task):
                return .wait(task, generation: state.generation)
            case .closed:
                throw RemoteError(.closed, "the client was closed")
            case .idle:
                state.generation += 1
                let generation = state.generation
                let task = Task { try await self.open(generation: generation) }
                state.link = .connecting(task)
                return .wait(task, generation: generation)
            }
        }
        guard case .wait(let task, let generation) = step else {
            guard case .ready(let connection, let hello) = step else { preconditionFailure() }
            return (connection, hello)
        }
        do {
            let (connection, hello) = try await task.value
            state.withLock { state in
                if state.generation == generation, case .connecting = state.link {
                    state.link = .connected(connection, hello)
                    state.lastConnectionError = nil
                }
            }
            return (connection, hello)
        } catch {
            state.withLock { state in
                if state.generation == generation, case .connecting = state.link { state.link = .idle }
            }
            throw error
        }
    }

    private func open(generation: Int) async throws -> (ClientConnection, ServerHello) {
        let connection = try await ClientConnection.open(endpoint, configuration: configuration) { [weak self] reason in
            self?.connectionEnded(generation: generation, reason: reason)
        }
        let reply: WireResult
        do {
            reply = try await connection.request(
                // Asks for v1 and offers every version: a v1 server answers v1, a newer one its newest.
                .hello(
                    version: RemoteProtocol.supportedVersions[0], token: configuration.token, client: configuration.clientName,
                    versions: RemoteProtocol.supportedVersions))
        } catch {
            connection.close(RemoteError(.connectionLost, "the handshake failed"))
            throw error
        }
        guard case .hello(let hello) = reply else {
            connection.close(RemoteError(.protocolViolation, "bad hello reply"))
            throw unexpected("hello")
        }
        return (connection, hello)
    }

    private func connectionEnded(generation: Int, reason: RemoteError) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if reason.code != .closed { state.lastConnectionError = reason }
            switch state.link {
            case .connected, .connecting: state.link = .idle
            case .idle, .closed: break
            }
        }
    }
}
