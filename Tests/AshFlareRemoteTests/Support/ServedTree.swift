import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Logging
import Testing

/// The two transports every round-trip test runs on.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case unix, tcp

    var testDescription: String { rawValue }
}

/// A fresh Unix socket path under /tmp (short enough for `sun_path`).
func temporarySocketPath(_ name: String = "t") -> String {
    "/tmp/afr-\(name)-\(UInt32.random(in: 0...UInt32.max)).sock"
}

/// The token the test servers accept for control.
let controlToken = "control-token-0123456789"
/// A token the test servers accept for reading only.
let readToken = "read-token-0123456789"

/// A tree served on one listener, with a manual clock for the server's timeouts.
struct ServedTree: Sendable {
    let tree: SupervisorHandle
    let server: SupervisorServer
    let endpoint: RemoteEndpoint
    let serverClock: ManualClock
    let log: LogRecorder
    private let running: Task<Void, any Error>

    /// Starts `spec` and serves it on `transport`.
    static func start(
        _ spec: SupervisorSpec = .shop,
        on transport: Transport,
        treeOptions: SupervisionOptions = SupervisionOptions(),
        configure: (inout SupervisorServer.Configuration) -> Void = { _ in }
    ) async throws -> ServedTree {
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock(), options: treeOptions)
        do {
            return try await serve(tree, on: transport, configure: configure)
        } catch {
            await tree.shutdown()
            throw error
        }
    }

    /// Serves an already running tree on `transport` (through `serving`, a wrapper of it, if given).
    static func serve(
        _ tree: SupervisorHandle, on transport: Transport, serving: (any SupervisionControl)? = nil,
        configure: (inout SupervisorServer.Configuration) -> Void = { _ in }
    ) async throws -> ServedTree {
        let log = LogRecorder()
        let listener: RemoteEndpoint =
            switch transport {
            case .unix: .unixSocket(path: temporarySocketPath())
            case .tcp: .tcp(host: "127.0.0.1", port: 0)
            }
        var configuration = SupervisorServer.Configuration(
            listeners: [listener],
            tokens: [AccessToken(controlToken, permission: .control), AccessToken(readToken, permission: .read)],
            logger: log.logger)
        configure(&configuration)
        let clock = ManualClock()
        let target: any SupervisionControl = serving ?? tree
        let server = try await SupervisorServer.bind(serving: target, configuration: configuration, clock: clock)
        let running = Task { try await server.run() }
        return ServedTree(
            tree: tree, server: server, endpoint: server.endpoints[0], serverClock: clock, log: log, running: running)
    }

    /// A client of the served tree (with the control token on TCP unless told otherwise).
    func client(token: String? = nil, eventBufferSize: Int = 4096) -> RemoteSupervisor {
        let token = token ?? (endpoint.isTCP ? controlToken : nil)
        return RemoteSupervisor(endpoint: endpoint, configuration: clientConfiguration(token: token, eventBufferSize: eventBufferSize))
    }

    /// What a client of this server needs: the token.
    func clientConfiguration(token: String?, eventBufferSize: Int = 4096) -> RemoteSupervisor.Configuration {
        RemoteSupervisor.Configuration(token: token, eventBufferSize: eventBufferSize)
    }

    /// A raw connection that speaks bytes.
    func raw(staysOpen: Bool = false) async throws -> RawConnection {
        try await RawConnection.connect(to: endpoint, staysOpen: staysOpen)
    }

    /// A raw connection that has already said hello (with the control token on TCP), speaking
    /// protocol `version`.
    func greetedRaw(token: String? = nil, version: Int = 1) async throws -> RawConnection {
        let connection = try await raw()
        let token = token ?? (endpoint.isTCP ? controlToken : nil)
        let tokenField = token.map { ",\"token\":\"\($0)\"" } ?? ""
        try await connection.send("{\"id\":0,\"op\":\"hello\",\"version\":\(version)\(tokenField)}\n")
        let reply = try await connection.readLine()
        #expect(reply?.hasPrefix("{\"id\":0,\"result\":{") == true, "hello reply: \(reply ?? "nil")")
        return connection
    }

    /// Stops the server and the tree.
    func stop() async {
        await server.shutdown()
        _ = await running.result
        await tree.shutdown()
    }

    /// Stops the server only and waits until it has stopped.
    func stopServer() async {
        await server.shutdown()
        _ = await running.result
    }
}

extension SupervisorSpec {
    /// A small shop: workers, a nested supervisor, and templates.
    static var shop: SupervisorSpec {
        SupervisorSpec("shop") {
            ChildSpec.worker("acceptor", backoff: .none) { IdleWorker() }
            SupervisorSpec("db", strategy: .restForOne) {
                ChildSpec.worker("conn", backoff: .none) { IdleWorker() }
                ChildSpec.worker("pool", restart: .transient, backoff: .none) { IdleWorker() }
            }
            SupervisorSpec("workers").withTemplates([.fetcher])
        }
    }
}

extension WorkerTemplate {
    /// A template with one required and one optional integer argument.
    static let fetcher = WorkerTemplate("fetcher", summary: "polls a URL", parameters: ["url", "interval-ms"]) { request in
        _ = try request.argument(0, named: "url")
        _ = try request.integer(1, named: "interval-ms", default: 1000)
        return .worker(request.id, restart: .transient, backoff: .none) { IdleWorker() }
    }
}

/// Expects `body` to throw a ``SupervisorError`` with `code`.
func expectSupervisorError(
    _ code: SupervisorError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as SupervisorError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw a ``RemoteError`` with `code`.
func expectRemoteError(
    _ code: RemoteError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as RemoteError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
