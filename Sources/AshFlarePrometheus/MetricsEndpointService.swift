import AshFlare
import Prometheus
import ServiceLifecycle

/// A ``MetricsEndpoint`` as a swift-service-lifecycle `Service`: it binds when the group runs
/// and stops listening on graceful shutdown or cancellation.
///
/// List it before the tree it measures, so a group stops it after the tree (the last scrape
/// can still see the shutdown's exits).
public struct MetricsEndpointService: Service {
    private let registry: PrometheusCollectorRegistry
    private let address: MetricsAddress
    private let bound = Eventual<MetricsEndpoint>()

    /// A service that serves `registry` at `address`.
    public init(serving registry: PrometheusCollectorRegistry, at address: MetricsAddress) {
        self.registry = registry
        self.address = address
    }

    /// The endpoint, once bound (its ``MetricsEndpoint/address`` has the port chosen for port 0).
    /// - Throws: The error that kept it from binding.
    public func endpoint() async throws -> MetricsEndpoint {
        try await bound.value()
    }

    /// Binds and serves until graceful shutdown or cancellation.
    public func run() async throws {
        let endpoint: MetricsEndpoint
        do {
            endpoint = try await MetricsEndpoint.start(serving: registry, at: address)
        } catch {
            bound.resolve(.failure(error))
            throw error
        }
        bound.resolve(.success(endpoint))
        try? await gracefulShutdown()
        await endpoint.stop()
    }
}
