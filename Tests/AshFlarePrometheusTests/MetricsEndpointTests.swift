import AshFlare
import AshFlarePrometheus
import AshFlareTestKit
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import Testing

@Suite("Prometheus /metrics endpoint", .timeLimit(.minutes(1)))
struct MetricsEndpointTests {
    /// One real HTTP/1.1 request over TCP; returns the whole response (the server closes it).
    func get(_ path: String, method: String = "GET", from address: MetricsAddress) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: address.host, port: address.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "\(method) \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"))
            var response = ""
            for try await chunk in inbound { response += String(buffer: chunk) }
            return response
        }
    }

    /// The value of the sample line starting with `prefix` (name and labels), if any.
    func sample(_ prefix: String, in response: String) -> Double? {
        for line in response.split(separator: "\n") where line.hasPrefix(prefix) {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }

    @Test("a scrape over real HTTP shows the restart counter rising after a kill")
    func restartCounterRises() async throws {
        let registry = PrometheusCollectorRegistry()
        let spec = SupervisorSpec("shop") { ChildSpec.worker("db", backoff: .none) { IdleWorker() } }
        let tree = try await SupervisorHandle.start(
            spec, clock: ManualClock(), options: SupervisionOptions(metricsFactory: PrometheusMetricsFactory(registry: registry)))
        let endpoint = try await MetricsEndpoint.start(serving: registry, at: MetricsAddress(url: "tcp://127.0.0.1:0"))
        let restarts = #"ashflare_restarts_total{tree="shop",supervisor="shop"}"#

        let before = try await get("/metrics", from: endpoint.address)
        #expect(before.hasPrefix("HTTP/1.1 200 OK"))
        #expect(before.contains("Content-Type: text/plain; version=0.0.4"))
        #expect(sample(restarts, in: before) ?? 0 == 0)
        #expect(sample(#"ashflare_active_workers{tree="shop"}"#, in: before) == 1)

        var events = tree.events().makeAsyncIterator()
        try await tree.kill("shop/db")
        _ = await events.next(where: { $0.isStarted("shop/db", incarnation: 2) })
        let after = try await get("/metrics", from: endpoint.address)
        #expect(sample(restarts, in: after) == 1)
        #expect(sample(#"ashflare_child_exits_total{tree="shop",reason="killed"}"#, in: after) == 1)

        await endpoint.stop()
        await tree.shutdown()
    }

    @Test("other paths get 404 and other methods 405, and the endpoint keeps serving")
    func badRequests() async throws {
        let registry = PrometheusCollectorRegistry()
        let endpoint = try await MetricsEndpoint.start(serving: registry, at: MetricsAddress(url: "tcp://127.0.0.1:0"))
        #expect(try await get("/", from: endpoint.address).hasPrefix("HTTP/1.1 404 Not Found"))
        #expect(try await get("/metrics", method: "POST", from: endpoint.address).hasPrefix("HTTP/1.1 405 Method Not Allowed"))
        #expect(try await get("/metrics?x=1", from: endpoint.address).hasPrefix("HTTP/1.1 200 OK"))
        await endpoint.stop()
    }

    @Test("a bad metrics address is refused with a message naming it", arguments: [
        "http://127.0.0.1:9464", "tcp://127.0.0.1", "tcp://127.0.0.1:99999", "tcp://:9464",
    ])
    func badAddress(_ url: String) {
        let error = #expect(throws: MetricsAddress.Error.self) { try MetricsAddress(url: url) }
        #expect(error?.message.contains("'\(url)'") == true)
    }

    @Test("an address that cannot be bound is a clear error")
    func unbindable() async throws {
        let first = try await MetricsEndpoint.start(serving: PrometheusCollectorRegistry(), at: MetricsAddress(url: "tcp://127.0.0.1:0"))
        let error = await #expect(throws: MetricsAddress.Error.self) {
            _ = try await MetricsEndpoint.start(serving: PrometheusCollectorRegistry(), at: first.address)
        }
        #expect(error?.message.contains("cannot listen for metrics on \(first.address)") == true)
        await first.stop()
    }
}

@Suite("The /metrics endpoint as a service", .timeLimit(.minutes(1)))
struct MetricsEndpointServiceTests {
    @Test("it serves from when the group runs until its graceful shutdown, then the port refuses")
    func servesUntilShutdown() async throws {
        let registry = PrometheusCollectorRegistry()
        let service = MetricsEndpointService(serving: registry, at: try MetricsAddress(url: "tcp://127.0.0.1:0"))
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        async let running: Void = group.run()
        let address = try await service.endpoint().address
        let response = try await MetricsEndpointTests().get("/metrics", from: address)
        #expect(response.hasPrefix("HTTP/1.1 200 OK"))
        await group.triggerGracefulShutdown()
        try await running
        await #expect(throws: (any Error).self) { try await MetricsEndpointTests().get("/metrics", from: address) }
    }

    @Test("an address it cannot bind is the error of endpoint() and of the group")
    func bindFailure() async throws {
        let service = MetricsEndpointService(serving: PrometheusCollectorRegistry(), at: try MetricsAddress(url: "tcp://192.0.2.1:9"))
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        await #expect(throws: MetricsAddress.Error.self) { try await group.run() }
        await #expect(throws: MetricsAddress.Error.self) { try await service.endpoint() }
    }
}
