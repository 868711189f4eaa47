import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Server life cycle", .timeLimit(.minutes(1)))
struct ServerLifecycleTests {
    @Test("a server that is bound and shut down without running releases its socket")
    func shutdownWithoutRun() async throws {
        let tree = try await SupervisorHandle.start(.shop, clock: ManualClock())
        let path = temporarySocketPath("idle")
        let server = try await SupervisorServer.bind(serving: tree, configuration: .init(listeners: [.unixSocket(path: path)]))
        await server.shutdown()
        #expect(access(path, F_OK) != 0)
        try await server.run()  // returns at once
        await tree.shutdown()
    }

    @Test("clients connecting while the server stops are refused or closed, never crash it", arguments: Transport.allCases)
    func connectDuringShutdown(_ transport: Transport) async throws {
        let tree = try await SupervisorHandle.start(.shop, clock: ManualClock())
        for _ in 0..<15 {
            let served = try await ServedTree.serve(tree, on: transport)
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        guard let raw = try? await served.raw() else { return }
                        _ = try? await raw.readToEnd()
                    }
                }
                group.addTask { await served.stopServer() }
            }
        }
        #expect(tree.snapshot().root.state == .running)
        await tree.shutdown()
    }
}
