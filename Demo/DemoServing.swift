import AshFlare
import AshFlareRemote

/// `--serve`: the demo tree on Unix sockets and/or TCP, so `flare top --connect URL` in another
/// terminal (or on another machine) attaches to it.
struct DemoServing {
    /// The server, bound.
    let server: SupervisorServer
    private let running: Task<Void, Never>

    /// Parses `--serve` URLs, naming the bad one.
    static func endpoints(_ urls: [String], token: String?) throws -> [RemoteEndpoint] {
        try urls.map { url in
            let endpoint: RemoteEndpoint
            do throws(RemoteError) { endpoint = try RemoteEndpoint(url: url) } catch {
                throw DemoServingError("--serve: \(error.message)")
            }
            if endpoint.isTCP && (token ?? "").isEmpty {
                throw DemoServingError("--serve \(url): a TCP listener needs a token (--token or ASHFLARE_TOKEN)")
            }
            return endpoint
        }
    }

    /// Binds every endpoint and starts serving `tree`. A client with `token` (or any client of a
    /// Unix socket, which is created 0600) may control the tree unless `readOnly`.
    static func start(tree: SupervisorHandle, endpoints: [RemoteEndpoint], token: String?, readOnly: Bool) async throws -> DemoServing {
        let permission: RemotePermission = readOnly ? .read : .control
        let configuration = SupervisorServer.Configuration(
            listeners: endpoints,
            tokens: token.map { [AccessToken($0, permission: permission)] } ?? [],
            readOnly: readOnly,
            unixSocketPermission: permission)
        let server = try await SupervisorServer.bind(serving: tree, configuration: configuration)
        let running = Task { _ = try? await server.run() }
        return DemoServing(server: server, running: running)
    }

    /// One line per endpoint: where it serves and the command that attaches to it.
    var announcement: String {
        server.endpoints.map { "serving on \($0) — attach with: flare top --connect \($0)" }.joined(separator: "\n")
    }

    /// Closes every connection, removes the socket files and waits for the server to end.
    func stop() async {
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
