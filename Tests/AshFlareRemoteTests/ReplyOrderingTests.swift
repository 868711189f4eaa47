import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

/// The ordering rule (docs/PROTOCOL.md, "Ordering"): a reply comes after every event the tree
/// emitted before the operation completed, on every subscription of the connection; the
/// shutdown reply after the subscriptions' last events and their end frames.
@Suite("Reply ordering", .timeLimit(.minutes(2)))
struct ReplyOrderingTests {
    /// The `sequence` of an event line of `subscription`, or nil for any other line.
    func sequence(_ line: String, subscription: Int) -> UInt64? {
        guard line.hasPrefix("{\"subscription\":\(subscription),\"event\":") else { return nil }
        return line.firstMatch(of: /"sequence":(\d+)/).flatMap { UInt64($0.1) }
    }

    /// Reads lines until the reply to `id`; returns the lines before it and the reply.
    func readUntilReply(_ id: Int, on raw: RawConnection) async throws -> (before: [String], reply: String) {
        var before: [String] = []
        while let line = try await raw.readLine() {
            if line.hasPrefix("{\"id\":\(id),") { return (before, line) }
            before.append(line)
        }
        Issue.record("the connection closed before the reply to \(id); read \(before)")
        return (before, "")
    }

    @Test("kill's reply follows its events, and a snapshot's reply every event up to its sequence, on both subscriptions",
          arguments: Transport.allCases)
    func controlRepliesFollowTheirEvents(_ transport: Transport) async throws {
        // Intensity high enough for 100 kills on a clock that never moves.
        let spec = SupervisorSpec("shop", intensity: RestartIntensity(maxRestarts: 1_000_000, within: .seconds(1))) {
            ChildSpec.worker("acceptor", backoff: .none) { IdleWorker() }
        }
        let served = try await ServedTree.start(spec, on: transport)
        let raw = try await served.greetedRaw(version: 2)
        var seen: [Int: UInt64] = [:]
        for subscription in [1, 2] {
            try await raw.send("{\"id\":\(subscription),\"op\":\"subscribe\"}\n")
            let reply = try await readUntilReply(subscription, on: raw).reply
            // Each subscription has "forwarded" its snapshot.
            let digits = try #require(reply.firstMatch(of: /"snapshot":\{"sequence":(\d+)/)?.1)
            seen[subscription] = UInt64(digits) ?? 0
        }
        var incarnation = 1
        for round in 0..<100 {
            let kill = 100 + round * 2
            try await raw.send("{\"id\":\(kill),\"op\":\"kill\",\"path\":\"shop/acceptor\"}\n")
            // The snapshot is sent at once: it races the kill's events on the server.
            try await raw.send("{\"id\":\(kill + 1),\"op\":\"snapshot\"}\n")
            var pending: Set<Int> = [kill, kill + 1]
            var started = false
            var exited: Set<Int> = []
            while !pending.isEmpty || !started {
                let line = try #require(try await raw.readLine())
                for subscription in [1, 2] {
                    guard let sequence = sequence(line, subscription: subscription) else { continue }
                    seen[subscription] = sequence
                    if line.contains("\"type\":\"childExited\",\"path\":\"shop/acceptor\",\"incarnation\":\(incarnation),") {
                        exited.insert(subscription)
                    }
                }
                if line.contains("\"type\":\"childStarted\",\"path\":\"shop/acceptor\",\"incarnation\":\(incarnation + 1)}") {
                    started = true
                }
                if line.hasPrefix("{\"id\":\(kill),") {
                    #expect(line == "{\"id\":\(kill),\"result\":{}}")
                    pending.remove(kill)
                    #expect(exited == [1, 2], "round \(round): the kill reply overtook the exit of incarnation \(incarnation)")
                }
                if line.hasPrefix("{\"id\":\(kill + 1),") {
                    pending.remove(kill + 1)
                    let snapshotSequence = try #require(line.firstMatch(of: /"result":\{"sequence":(\d+)/).flatMap { UInt64($0.1) })
                    #expect(seen[1]! >= snapshotSequence && seen[2]! >= snapshotSequence,
                            "round \(round): the snapshot at \(snapshotSequence) overtook events (forwarded \(seen))")
                }
            }
            incarnation += 1
        }
        await served.stop()
    }

    @Test("the shutdown reply comes after the subscription's last event and its end frame", arguments: Transport.allCases)
    func shutdownReplyFollowsTheEnd(_ transport: Transport) async throws {
        for round in 0..<25 {
            let served = try await ServedTree.start(on: transport)
            let raw = try await served.greetedRaw(version: 2)
            try await raw.send("{\"id\":1,\"op\":\"subscribe\"}\n")
            _ = try await readUntilReply(1, on: raw)
            try await raw.send("{\"id\":2,\"op\":\"shutdown\"}\n")
            let (before, reply) = try await readUntilReply(2, on: raw)
            #expect(reply == "{\"id\":2,\"result\":{}}")
            #expect(before.last == "{\"subscription\":1,\"end\":\"treeStopped\"}", "round \(round): \(before.suffix(3))")
            #expect(before.contains { $0.contains("\"type\":\"childExited\",\"path\":\"shop\",") }, "round \(round)")
            await served.stopServer()
        }
    }
}
