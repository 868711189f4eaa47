import AshFlare
import AshFlareRemote
import AshFlareRemoteTLS

/// `--serve`: the demo tree on Unix sockets and/or TCP, so `flare top --connect URL` in another
/// terminal (or on another machine) attaches to it.
struct DemoServing {
    /// The server, bound.
    let server: SupervisorServer
    private let running: Task<Void, Never>
    /// Reloads the TLS files on SIGHUP (tls:// listeners only).
    private let reloading: Task<Void, Never>?

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

    /// Binds every endpoint and starts serving `tree`. A client with `token` (or any client of a
    /// Unix socket, which is created 0600) may control the tree unless `readOnly`.
    /// With `reportReloads`, each SIGHUP reload of the TLS files is reported on stderr.
    static func start(
        tree: SupervisorHandle, endpoints: [RemoteEndpoint], token: String?, readOnly: Bool, tls: DemoTLSOptions, reportReloads: Bool
    ) async throws -> DemoServing {
        let permission: RemotePermission = readOnly ? .read : .control
        let security = try tls.security()
        let configuration = SupervisorServer.Configuration(
            listeners: endpoints,
            tokens: token.map { [AccessToken($0, permission: permission)] } ?? [],
            readOnly: readOnly,
            unixSocketPermission: permission,
            tls: security,
            insecurePlaintext: tls.insecurePlaintext)
        let server = try await SupervisorServer.bind(serving: tree, configuration: configuration)
        let running = Task { _ = try? await server.run() }
        let reloading = await security?.reloadOnHangup { outcome in
            guard reportReloads else { return }
            switch outcome {
            case .success(let count): Terminal.printError("flare-demo: SIGHUP: reloaded the TLS certificate (load \(count))")
            case .failure(let error): Terminal.printError("flare-demo: SIGHUP: \(error.message); keeping the previous certificate")
            }
        }
        return DemoServing(server: server, running: running, reloading: reloading)
    }

    /// One line per endpoint: where it serves and the command that attaches to it.
    var announcement: String {
        server.endpoints.map { endpoint in
            let flags = endpoint.isTLS ? " --tls-ca CA.pem" : endpoint.isPlaintextTCP ? " --insecure-plaintext" : ""
            return "serving on \(endpoint) — attach with: flare top --connect \(endpoint)\(flags)"
        }.joined(separator: "\n")
    }

    /// Closes every connection, removes the socket files and waits for the server to end.
    func stop() async {
        reloading?.cancel()
        await server.shutdown()
        await running.value
    }
}

/// A `--serve` URL the demo cannot use.
struct DemoServingError: Error, CustomStringConvertible {
    /// What is wrong with it.
    let description: String

    init(_ description: String) { self.description = description }
}
