import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

/// A remote observation whose reader has gone unsubscribes on the server (the client's
/// `EventFeed` reports it), so it frees its slot.
@Suite("A remote observation ends its subscription when its reader goes", .timeLimit(.minutes(1)))
struct RemoteSubscriptionLifetimeTests {
    /// Observes as soon as the server has room: a gone reader's unsubscribe is sent from a task,
    /// so the next subscribe may reach the server first and be refused; it is tried again.
    func observeWhenFree(_ client: RemoteSupervisor) async throws -> TreeObservation {
        for _ in 0..<20_000 {
            do {
                return try await client.observe()
            } catch let error as RemoteError where error.code == .tooManySubscriptions {
                await Task.yield()
            }
        }
        throw RemoteError(.tooManySubscriptions, "the first subscription was never unsubscribed")
    }

    @Test("with room for one subscription, a dropped observation and a cancelled reader each make room for the next")
    func readerGoneFreesTheSlot() async throws {
        let tree = try await SupervisorHandle.start(SupervisorSpec("root") { ChildSpec.worker("w") { IdleWorker() } }, clock: ManualClock())
        let path = "/tmp/afsub-\(UInt32.random(in: 0...UInt32.max)).sock"
        var limits = SupervisorServer.Limits()
        limits.maxSubscriptions = 1
        let server = try await SupervisorServer.bind(serving: tree, configuration: .init(listeners: [.unixSocket(path: path)], limits: limits))
        let running = Task { try await server.run() }
        let client = RemoteSupervisor(endpoint: .unixSocket(path: path))

        _ = try await client.observe()  // dropped at once, never read
        let second = try await observeWhenFree(client)
        let (reading, readingSink) = AsyncStream.makeStream(of: Void.self)
        let reader = Task {
            var events = second.events.makeAsyncIterator()
            readingSink.yield()
            while await events.next() != nil {}
        }
        var started = reading.makeAsyncIterator()
        await started.next()
        reader.cancel()
        await reader.value
        let third = try await observeWhenFree(client)
        #expect(third.snapshot.root.id == "root")

        await client.close()
        await server.shutdown()
        _ = await running.result
        await tree.shutdown()
    }
}
