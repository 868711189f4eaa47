import AshFlare
@testable import AshFlareRemote
import AshFlareTestKit
import Testing

/// Connections that have not completed `hello` have their own cap, so they can never take the
/// slots of authenticated clients (the lock-out of docs/SECURITY.md, "Limits").
@Suite("Pre-authentication limits", .timeLimit(.minutes(1)))
struct PreAuthenticationTests {
    @Test("silent connections past every cap cannot keep a client with the right token out",
          arguments: Transport.allCases)
    func silentConnectionsCannotLockOut(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport) {
            $0.limits.maxConnections = 4
            $0.limits.maxPendingHandshakes = 3
        }
        var silent: [RawConnection] = []
        for _ in 0..<12 { silent.append(try await served.raw()) }
        // The server serves accepts concurrently: the client connects once all 12 have arrived
        // (9 evicted), as an attacker's connections made before it would have.
        await served.log.wait(forCount: 9, where: LogRecorder.closing(because: "tooManyConnections"))
        let client = served.client()
        let snapshot = try await client.snapshot()
        #expect(snapshot.root.path == "shop", "the operator got in past 12 silent connections")
        // The oldest silent connections were evicted to make room, with a reason.
        let evicted = try #require(try await silent[0].readToEnd().first)
        #expect(evicted.contains("\"code\":\"tooManyConnections\""), "\(evicted)")
        #expect(evicted.contains("more than 3 connections are waiting for hello; closing the oldest"))
        await client.close()
        for connection in silent { await connection.close() }
        await served.stop()
    }

    @Test("a new connection evicts the oldest one waiting for hello, never an authenticated one")
    func admissionPolicy() {
        var admission = ConnectionAdmission(maxPending: 2, maxAuthenticated: 1)
        var evicted: [Int?] = []
        evicted.append(admission.arrive(1))
        let first = admission.authenticate(1)
        #expect(first)
        for id in 2...5 { evicted.append(admission.arrive(id)) }
        #expect(evicted == [nil, nil, nil, 2, 3], "the oldest waiting connection makes room; the authenticated one is never a candidate")
        #expect(admission.authenticated == [1])
        let overLimit = admission.authenticate(4)
        #expect(!overLimit, "no authenticated slot is free")
        let wasEvicted = admission.authenticate(2)
        #expect(!wasEvicted, "an evicted connection cannot authenticate")
        admission.leave(1)
        let afterLeave = admission.authenticate(5)
        #expect(afterLeave)
        #expect(admission.pending.isEmpty && admission.authenticated == [5])
    }
}
