import AshFlare
@testable import AshFlareRemote
import AshFlareTestKit
import Testing

/// Connections that have not completed `hello` have their own cap, so they can never take the
/// slots of authenticated clients (the lock-out of docs/SECURITY.md, "Limits").
@Suite("Pre-authentication limits", .timeLimit(.minutes(1)))
struct PreAuthenticationTests {
    @Test("silent connections past every cap cannot keep a client with the right token out", arguments: Transport.allCases)
    func silentConnectionsCannotLockOut(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport) {
            $0.limits.maxConnections = 4
            $0.limits.maxPendingHandshakes = 3
        }
        var silent: [RawConnection] = []
        for _ in 0..<12 { silent.append(try await served.raw()) }
        // The oldest silent connections were evicted to make room, with a reason.
        let evicted = try #require(try await silent[0].readToEnd().first)
        #expect(evicted.contains("\"code\":\"tooManyConnections\""), "\(evicted)")
        #expect(evicted.contains("more than 3 connections are waiting for hello; closing the oldest"))
        let client = served.client()
        #expect(try await client.snapshot().root.path == "shop", "the operator got in past 12 silent connections")
        await client.close()
        for connection in silent { await connection.close() }
        await served.stop()
    }

    @Test("a new connection evicts the oldest one waiting for hello, never an authenticated one")
    func admissionPolicy() {
        var admission = ConnectionAdmission(maxPending: 2, maxAuthenticated: 1)
        #expect(admission.arrive(1) == nil)
        #expect(admission.authenticate(1))
        #expect(admission.arrive(2) == nil)
        #expect(admission.arrive(3) == nil)
        #expect(admission.arrive(4) == 2, "the oldest waiting connection makes room")
        #expect(admission.arrive(5) == 3)
        #expect(admission.authenticated == [1], "the authenticated connection was never a candidate")
        #expect(!admission.authenticate(4), "no authenticated slot is free")
        #expect(!admission.authenticate(2), "an evicted connection cannot authenticate")
        admission.leave(1)
        #expect(admission.authenticate(5))
        #expect(admission.pending.isEmpty && admission.authenticated == [5])
    }
}
