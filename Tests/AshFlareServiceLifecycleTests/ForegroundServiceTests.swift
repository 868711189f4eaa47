import AshFlare
import AshFlareRemote
import AshFlareServiceLifecycle
import AshFlareTestKit
import Logging
import ServiceLifecycle
import Testing

/// How `flare run` and `flare-demo` run: server, tree, then a foreground whose end stops the group.
@Suite("A foreground service ends its group", .timeLimit(.minutes(1)))
struct ForegroundServiceTests {
    struct Stop: Error {}

    func group(_ foreground: ForegroundService, tree: SupervisionTreeService, server: SupervisorServerService) -> ServiceGroup {
        ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: server), .init(service: tree), foreground.configuration], logger: Logger(label: "test")))
    }

    func parts() -> (SupervisionTreeService, SupervisorServerService) {
        let spec = SupervisorSpec("app") {
            ChildSpec.worker("a") { IdleWorker() }
            ChildSpec.worker("b") { IdleWorker() }
        }
        let tree = SupervisionTreeService(spec, clock: ManualClock())
        let path = "/tmp/afg-\(UInt32.random(in: 0...UInt32.max)).sock"
        let server = SupervisorServerService(configuration: .init(listeners: [.unixSocket(path: path)])) { try await tree.handle() }
        return (tree, server)
    }

    /// The kinds of events a remote client saw until its subscription ended.
    func kinds(_ observation: TreeObservation) async -> [SupervisorEvent.Kind] {
        var kinds: [SupervisorEvent.Kind] = []
        for await event in observation.events { kinds.append(event.kind) }
        return kinds
    }

    @Test("when the foreground returns, the tree stops in reverse order (a client sees it all), then the server")
    func returnStopsGroup() async throws {
        let (tree, server) = parts()
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let group = group(ForegroundService { for await _ in release { return } }, tree: tree, server: server)
        async let running: Void = group.run()
        let client = RemoteSupervisor(endpoint: try await server.server().endpoints[0])
        let observation = try await client.observe()
        releaser.yield()
        let seen = await kinds(observation)
        let exits = seen.compactMap { kind -> ChildPath? in
            if case .childExited(let path, _, .shutdown) = kind { path } else { nil }
        }
        #expect(exits == ["app/b", "app/a", "app"], "\(seen)")
        try await running
        #expect(try await tree.handle().snapshot().root.state == .stopped)
        await client.close()
    }

    @Test("an error of the foreground stops the tree and is what the group throws")
    func errorStopsGroup() async throws {
        let (tree, server) = parts()
        let group = group(ForegroundService {
            _ = try await server.server()
            throw Stop()
        }, tree: tree, server: server)
        await #expect(throws: Stop.self) { try await group.run() }
        #expect(try await tree.handle().snapshot().root.state == .stopped)
    }

    @Test("a graceful shutdown of the group cancels the foreground")
    func gracefulShutdownCancels() async throws {
        let (tree, server) = parts()
        let (cancelled, cancelledSink) = AsyncStream.makeStream(of: Bool.self)
        let group = group(ForegroundService {
            _ = try await tree.handle()
            let (never, _) = AsyncStream.makeStream(of: Void.self)
            for await _ in never {}
            cancelledSink.yield(Task.isCancelled)
        }, tree: tree, server: server)
        async let running: Void = group.run()
        _ = try await server.server()
        await group.triggerGracefulShutdown()
        var iterator = cancelled.makeAsyncIterator()
        #expect(await iterator.next() == true)
        try await running
        #expect(try await tree.handle().snapshot().root.state == .stopped)
    }
}
