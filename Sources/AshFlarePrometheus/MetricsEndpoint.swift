import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus

/// An HTTP server for Prometheus: `GET /metrics` answers the registry's text exposition.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// let options = SupervisionOptions(metricsFactory: PrometheusMetricsFactory(registry: registry))
/// let tree = try await SupervisorHandle.start(spec, options: options)
/// let metrics = try await MetricsEndpoint.start(serving: registry, at: MetricsAddress(url: "tcp://127.0.0.1:9464"))
/// ```
///
/// Nothing is bootstrapped: the tree reports into the factory it was given. Any other path
/// answers 404, any other method 405; each request is answered and the connection kept alive
/// as HTTP/1.1 allows.
public final class MetricsEndpoint: Sendable {
    private let channel: any Channel
    /// The address the server listens on (with the real port when port 0 was asked for).
    public let address: MetricsAddress

    private init(channel: any Channel, address: MetricsAddress) {
        self.channel = channel
        self.address = address
    }

    /// Binds `address` and serves `registry` until ``stop()``.
    /// - Throws: ``MetricsAddress/Error`` naming the address when it cannot be bound.
    public static func start(
        serving registry: PrometheusCollectorRegistry, at address: MetricsAddress,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> MetricsEndpoint {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(registry: registry))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: address.host, port: address.port).get()
        } catch {
            throw MetricsAddress.Error(message: "cannot listen for metrics on \(address): \(error)")
        }
        let bound = MetricsAddress(host: address.host, port: channel.localAddress?.port ?? address.port)
        return MetricsEndpoint(channel: channel, address: bound)
    }

    /// Stops listening; returns when the listening socket is closed.
    public func stop() async {
        try? await channel.close()
    }
}

/// Answers one HTTP request at a time on a connection.
private final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private var head: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request): head = request
        case .body: break
        case .end:
            guard let request = head else { return }
            head = nil
            respond(to: request, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let (status, body, type) = Self.answer(method: request.method, uri: request.uri, registry: registry)
        var headers = HTTPHeaders([("Content-Type", type), ("Content-Length", "\(body.count)")])
        if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let keepAlive = request.isKeepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }

    /// What to answer: the exposition for `GET /metrics`, an error otherwise.
    static func answer(
        method: HTTPMethod, uri: String, registry: PrometheusCollectorRegistry
    ) -> (HTTPResponseStatus, [UInt8], String) {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        guard path == "/metrics" else { return (.notFound, Array("not found: try /metrics\n".utf8), "text/plain; charset=utf-8") }
        guard method == .GET || method == .HEAD else {
            return (.methodNotAllowed, Array("only GET /metrics\n".utf8), "text/plain; charset=utf-8")
        }
        return (.ok, registry.emitToBuffer(), "text/plain; version=0.0.4; charset=utf-8")
    }
}
