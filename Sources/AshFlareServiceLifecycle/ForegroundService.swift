import ServiceLifecycle

/// The foreground of a command-line program in a `ServiceGroup` — a dashboard, a printer of
/// events, a wait for a signal — after which the whole group stops.
///
/// List it **last** with ``configuration``: when its body returns or throws (or the group is
/// shut down gracefully, which cancels the body), the group stops its other services in
/// reverse order. `flare run` and `flare-demo` run as such a group:
/// ```swift
/// let tree = SupervisionTreeService(spec)
/// let server = SupervisorServerService(configuration: serving) { try await tree.handle() }
/// let foreground = ForegroundService { try await Dashboard.run(nodes: [DashboardNode(name: "app", control: tree.handle())]) }
/// let group = ServiceGroup(configuration: ServiceGroupConfiguration(
///     services: [.init(service: server), .init(service: tree), foreground.configuration], logger: logger))
/// try await group.run()  // q: the tree stops (its clients see every event), then the server
/// ```
public struct ForegroundService: Service {
    private let body: @Sendable () async throws -> Void

    /// A service that runs `body`.
    public init(_ body: @escaping @Sendable () async throws -> Void) {
        self.body = body
    }

    /// Runs the body; a graceful shutdown of the group cancels it.
    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await body() }
    }

    /// This service as a group entry whose end, by return or by error, shuts the group down
    /// gracefully (an error is rethrown by the group's `run()`).
    public var configuration: ServiceGroupConfiguration.ServiceConfiguration {
        .init(service: self, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
    }
}
