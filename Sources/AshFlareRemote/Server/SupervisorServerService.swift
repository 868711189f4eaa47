import AshFlare
import ServiceLifecycle

/// Serves a tree as a swift-service-lifecycle `Service`: binds when the group runs, stops on
/// graceful shutdown or cancellation.
///
/// With a `SupervisionTreeService` in the same group, list the server **first**: a group shuts
/// its services down in reverse order, so the tree stops first — every client sees the tree's
/// shutdown events and the end of its subscriptions — and then the server stops.
/// ```swift
/// let tree = SupervisionTreeService(spec)
/// let server = SupervisorServerService(configuration: configuration) { try await tree.handle() }
/// let group = ServiceGroup(services: [server, tree], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
public struct SupervisorServerService: Service {
    private let tree: @Sendable () async throws -> any SupervisionControl
    private let configuration: SupervisorServer.Configuration
    private let clock: any Clock<Duration>
    private let bound = Eventual<SupervisorServer>()

    /// Creates a service that serves the tree `tree` returns (it may wait until the tree has
    /// started) with `configuration`.
    public init(
        configuration: SupervisorServer.Configuration,
        clock: some Clock<Duration> = ContinuousClock(),
        tree: @escaping @Sendable () async throws -> any SupervisionControl
    ) {
        self.tree = tree
        self.configuration = configuration
        self.clock = clock
    }

    /// The server, once bound (its ``SupervisorServer/endpoints`` carry the ports chosen for port 0).
    /// - Throws: The error that kept it from binding.
    public func server() async throws -> SupervisorServer {
        try await bound.value()
    }

    /// Binds and serves until graceful shutdown or cancellation; then closes every connection.
    public func run() async throws {
        let server: SupervisorServer
        do {
            server = try await SupervisorServer.bind(serving: try await tree(), configuration: configuration, clock: clock)
        } catch {
            bound.resolve(.failure(error))
            throw error
        }
        bound.resolve(.success(server))
        try await withGracefulShutdownHandler {
            try await server.run()
        } onGracefulShutdown: {
            Task { await server.shutdown() }
        }
    }
}
