import AshFlare
import AshFlareRemote
import AshFlareServiceLifecycle
import AshFlareTestKit
import Logging
import ServiceLifecycle
import Testing

@Suite("Serving a tree from a ServiceGroup", .timeLimit(.minutes(1)))
struct SupervisorServerServiceTests {
    @Test("on graceful shutdown a client sees the tree's shutdown events and the end of its subscription, then the server stops")
    func shutdownOrder() async throws {
        let spec = SupervisorSpec("svc") {
            ChildSpec.worker("a") { IdleWorker() }
            ChildSpec.worker("b") { IdleWorker() }
        }
        let tree = SupervisionTreeService(spec, clock: ManualClock())
        let path = "/tmp/afs-\(UInt32.random(in: 0...UInt32.max)).sock"
        let server = SupervisorServerService(configuration: .init(listeners: [.unixSocket(path: path)])) { try await tree.handle() }
        // The server first: the group stops services in reverse order, so the tree stops first.
        let group = ServiceGroup(services: [server, tree], logger: Logger(label: "test"))
        async let running: Void = group.run()
        let endpoint = try await server.server().endpoints[0]
        #expect(try await tree.handle().rootPath == "svc", "the tree service exposes the handle it started")
        let client = RemoteSupervisor(endpoint: endpoint)
        let observation = try await client.observe()
        await group.triggerGracefulShutdown()
        var kinds: [SupervisorEvent.Kind] = []
        for await event in observation.events { kinds.append(event.kind) }
        #expect(kinds.last == .childExited(path: "svc", incarnation: 1, reason: .shutdown), "\(kinds)")
        #expect(kinds.contains(.shutdownFinished(supervisor: "svc")))
        // Had the server stopped first, the stream would have been cut off before the root's exit.
        try await running
        await expectConnectionFails { try await client.ping() }
        await client.close()
    }

    func expectConnectionFails(_ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("the server still answers after the group stopped")
        } catch let error as RemoteError {
            #expect([.connectionFailed, .connectionLost, .serverStopping].contains(error.code), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
