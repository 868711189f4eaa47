import AshFlare
import AshFlareRemote
import AshFlareRemoteTLS

/// `--serve`: the demo tree on Unix sockets and/or TCP, so `flare top --connect URL` in another
/// terminal (or on another machine) attaches to it. Its server is a `SupervisorServerService` in
/// the demo's ServiceGroup.
struct DemoServing {
    /// The server, as a service of the group.
    let service: SupervisorServerService
    private let security: TLSServerSecurity?
    private let reportReloads: Bool

    /// Parses `--serve` URLs and checks them with the TLS options, naming the bad one.
    static func endpoints(_ urls: [String], token: String?, tls: DemoTLSOptions) throws -> [RemoteEndpoint] {
        let endpoints = try urls.map { url in
            do throws(RemoteError) { return try RemoteEndpoint(url: url) } catch {
                throw DemoServingError("--serve: \(error.message)")
            }
        }
        try tls.validate(for: endpoints, token: token)
        return endpoints
    }

    /// Serves the tree `tree` returns on every endpoint. A client with `token` (or any client of
    /// a Unix socket, which is created 0600) may control the tree unless `readOnly`. With
    /// `reportReloads`, each SIGHUP reload of the TLS files is reported on stderr.
    init(
        endpoints: [RemoteEndpoint], token: String?, readOnly: Bool, tls: DemoTLSOptions, reportReloads: Bool,
        tree: @escaping @Sendable () async throws -> any SupervisionControl
    ) throws {
        let permission: RemotePermission = readOnly ? .read : .control
        let security = try tls.security()
        let configuration = SupervisorServer.Configuration(
            listeners: endpoints,
            tokens: token.map { [AccessToken($0, permission: permission)] } ?? [],
            readOnly: readOnly,
            unixSocketPermission: permission,
            tls: security,
            insecurePlaintext: tls.insecurePlaintext)
        self.service = SupervisorServerService(configuration: configuration, tree: tree)
        self.security = security
        self.reportReloads = reportReloads
    }

    /// Waits until the server is bound and traps SIGHUP for TLS reloads (cancel the task it
    /// returns to stop); returns one line per endpoint: where it serves and the command that
    /// attaches to it.
    func bind() async throws -> (announcement: String, reloading: Task<Void, Never>?) {
        let server = try await service.server()
        let reportReloads = reportReloads
        let reloading = await security?.reloadOnHangup { outcome in
            guard reportReloads else { return }
            switch outcome {
            case .success(let count): Terminal.printError("flare-demo: SIGHUP: reloaded the TLS certificate (load \(count))")
            case .failure(let error): Terminal.printError("flare-demo: SIGHUP: \(error.message); keeping the previous certificate")
            }
        }
        let announcement = server.endpoints.map { endpoint in
            let flags = endpoint.isTLS ? " --tls-ca CA.pem" : endpoint.isPlaintextTCP ? " --insecure-plaintext" : ""
            return "serving on \(endpoint) — attach with: flare top --connect \(endpoint)\(flags)"
        }.joined(separator: "\n")
        return (announcement, reloading)
    }
}

/// A `--serve` URL the demo cannot use.
struct DemoServingError: Error, CustomStringConvertible {
    /// What is wrong with it.
    let description: String

    init(_ description: String) { self.description = description }
}
