import AshFlare
import AshFlareRemote
import AshFlareRemoteTLS
import AshFlareTestKit
import Logging
import Testing

/// The transports a served tree can use. Every round-trip test runs on `unix` and `tcp` (plain
/// TCP on loopback, with `insecurePlaintext` on both sides); `tls` (TCP with TLS and a CA made
/// at test time) is for the TLS tests, whose raw connections need a TLS client.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case unix, tcp, tls

    /// The transports every round-trip test runs on.
    static let allCases: [Transport] = [.unix, .tcp]

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
    /// The test CA and the server's certificate, on `tls`.
    let certificates: TestCertificates?
    private let running: Task<Void, any Error>

    /// Starts `spec` and serves it on `transport`.
    static func start(
        _ spec: SupervisorSpec = .shop,
        on transport: Transport,
        treeOptions: SupervisionOptions = SupervisionOptions(),
        certificates: TestCertificates? = nil,
        configure: (inout SupervisorServer.Configuration) throws -> Void = { _ in }
    ) async throws -> ServedTree {
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock(), options: treeOptions)
        do {
            return try await serve(tree, on: transport, certificates: certificates, configure: configure)
        } catch {
            await tree.shutdown()
            throw error
        }
    }

    /// Serves an already running tree on `transport` (through `serving`, a wrapper of it, if given).
    static func serve(
        _ tree: SupervisorHandle, on transport: Transport, serving: (any SupervisionControl)? = nil,
        certificates: TestCertificates? = nil,
        configure: (inout SupervisorServer.Configuration) throws -> Void = { _ in }
    ) async throws -> ServedTree {
        let log = LogRecorder()
        let listener: RemoteEndpoint =
            switch transport {
            case .unix: .unixSocket(path: temporarySocketPath())
            case .tcp: .tcp(host: "127.0.0.1", port: 0)
            case .tls: .tls(host: "127.0.0.1", port: 0)
            }
        var configuration = SupervisorServer.Configuration(
            listeners: [listener],
            tokens: [AccessToken(controlToken, permission: .control), AccessToken(readToken, permission: .read)],
            logger: log.logger)
        var certificates = certificates
        switch transport {
        case .unix: break
        case .tcp: configuration.insecurePlaintext = true
        case .tls:
            let ca = try certificates ?? TestCertificates()
            certificates = ca
            configuration.tls = try TLSServerSecurity(certificateChainFile: ca.server.certificateFile, privateKeyFile: ca.server.keyFile)
        }
        try configure(&configuration)
        let clock = ManualClock()
        let target: any SupervisionControl = serving ?? tree
        let server = try await SupervisorServer.bind(serving: target, configuration: configuration, clock: clock)
        let running = Task { try await server.run() }
        return ServedTree(
            tree: tree, server: server, endpoint: server.endpoints[0], serverClock: clock, log: log, certificates: certificates,
            running: running)
    }

    /// A client of the served tree (with the control token on TCP unless told otherwise).
    func client(token: String? = nil, eventBufferSize: Int = 4096) -> RemoteSupervisor {
        let token = token ?? (endpoint.isTCP ? controlToken : nil)
        return RemoteSupervisor(endpoint: endpoint, configuration: clientConfiguration(token: token, eventBufferSize: eventBufferSize))
    }

    /// What a client of this server needs: the token, and plain TCP allowed or the test CA trusted.
    func clientConfiguration(token: String?, eventBufferSize: Int = 4096) -> RemoteSupervisor.Configuration {
        var configuration = RemoteSupervisor.Configuration(token: token, eventBufferSize: eventBufferSize)
        configuration.insecurePlaintext = endpoint.isPlaintextTCP
        if let certificates, endpoint.isTLS { configuration.tls = try? TLSClientSecurity(caFile: certificates.caFile) }
        return configuration
    }

    /// The `flare` arguments that reach this server: `--connect URL`, plus `--insecure-plaintext`
    /// on plain TCP or `--tls-ca` (the test CA) on TLS.
    var connectArguments: [String] {
        var arguments = ["--connect", "\(endpoint)"]
        if endpoint.isPlaintextTCP { arguments.append("--insecure-plaintext") }
        if endpoint.isTLS, let certificates { arguments += ["--tls-ca", certificates.caFile] }
        return arguments
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
        certificates?.remove()
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
