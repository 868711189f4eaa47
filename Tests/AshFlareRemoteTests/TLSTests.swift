import AshFlare
@testable import AshFlareRemote
import AshFlareTestKit
import Foundation
import Testing

/// TLS and mTLS on TCP, with a CA and certificates made at test time, and the hostile cases:
/// stalled handshakes, garbage before the ClientHello, expired and wrong-CA client certificates.
@Suite("TLS", .timeLimit(.minutes(1)))
struct TLSTests {
    /// Expects `body` to fail to reach the server (handshake refused or connection dropped).
    func expectRefused(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await body()
            Issue.record("the server accepted the connection", sourceLocation: sourceLocation)
        } catch let error as RemoteError {
            #expect([.connectionFailed, .connectionLost, .unauthorized].contains(error.code), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("a client that trusts the server's CA gets the whole API over TLS; one that does not is refused")
    func serverAuthentication() async throws {
        let served = try await ServedTree.start(on: .tls)
        let client = served.client()
        let observation = try await client.observe()
        try await client.kill("shop/acceptor")
        var events = observation.events.makeAsyncIterator()
        #expect(await events.next(where: { $0.isStarted("shop/acceptor", incarnation: 2) }) != nil)
        #expect(client.hello?.version == 2)
        let stranger = RemoteSupervisor(endpoint: served.endpoint, configuration: .init(token: controlToken))
        await expectRefused { try await stranger.ping() }
        let otherCA = try TestCertificates(name: "Someone Else")
        let misled = RemoteSupervisor(
            endpoint: served.endpoint, configuration: .init(token: controlToken, tls: .init(caFile: otherCA.caFile)))
        await expectRefused { try await misled.ping() }
        try await client.ping()
        await client.close()
        otherCA.remove()
        await served.stop()
    }

    @Test("mTLS: a listed client certificate grants its permission without a token; an unlisted one needs a token")
    func clientCertificates() async throws {
        let certificates = try TestCertificates()
        let alice = try certificates.issue("alice"), bob = try certificates.issue("bob"), carol = try certificates.issue("carol")
        let served = try await ServedTree.start(on: .tls, certificates: certificates) { configuration in
            configuration.tls?.clientCAFile = certificates.caFile
            configuration.tls?.clientCertificates = [.init(file: alice.certificateFile, permission: .control), .init(file: bob.certificateFile, permission: .read)]
        }
        func client(_ identity: TestCertificates.Issued, token: String? = nil) -> RemoteSupervisor {
            RemoteSupervisor(endpoint: served.endpoint, configuration: .init(token: token, tls: .init(
                caFile: certificates.caFile, certificateFile: identity.certificateFile, keyFile: identity.keyFile)))
        }
        let control = client(alice), read = client(bob), unlisted = client(carol), unlistedWithToken = client(carol, token: readToken)
        try await control.kill("shop/acceptor")
        #expect(control.hello?.permission == .control)
        _ = try await read.snapshot()
        await expectSupervisorError(.childNotFound) { try await control.kill("shop/nope") }
        await expectRemoteError(.permissionDenied) { try await read.kill("shop/acceptor") }
        await expectRemoteError(.unauthorized) { try await unlisted.ping() }
        try await unlistedWithToken.ping()
        #expect(unlistedWithToken.hello?.permission == .read)
        // Without a client certificate, the handshake itself fails.
        let anonymous = RemoteSupervisor(endpoint: served.endpoint, configuration: .init(token: controlToken, tls: .init(caFile: certificates.caFile)))
        await expectRefused { try await anonymous.ping() }
        for client in [control, read, unlisted, unlistedWithToken, anonymous] { await client.close() }
        await served.stop()
    }

    @Test("mTLS: an expired client certificate and one from another CA are refused; the server keeps serving")
    func hostileClientCertificates() async throws {
        let certificates = try TestCertificates()
        let good = try certificates.issue("good")
        let expired = try certificates.issue("expired", validFrom: Date() - 7200, validUntil: Date() - 3600)
        let otherCA = try TestCertificates(name: "Rogue CA")
        let rogue = try otherCA.issue("good")
        let served = try await ServedTree.start(on: .tls, certificates: certificates) { configuration in
            configuration.tls?.clientCAFile = certificates.caFile
            configuration.tls?.clientCertificates = [.init(file: good.certificateFile, permission: .control)]
        }
        for identity in [expired, rogue] {
            let client = RemoteSupervisor(endpoint: served.endpoint, configuration: .init(tls: .init(
                caFile: certificates.caFile, certificateFile: identity.certificateFile, keyFile: identity.keyFile)))
            await expectRefused { try await client.ping() }
            await client.close()
        }
        let client = RemoteSupervisor(endpoint: served.endpoint, configuration: .init(tls: .init(
            caFile: certificates.caFile, certificateFile: good.certificateFile, keyFile: good.keyFile)))
        try await client.kill("shop/acceptor")
        await client.close()
        otherCA.remove()
        await served.stop()
    }

    @Test("a TLS handshake that stalls is closed by the handshake timeout; garbage before the ClientHello is dropped")
    func hostileHandshakes() async throws {
        let served = try await ServedTree.start(on: .tls) { $0.limits.handshakeTimeout = .seconds(5) }
        // Plain bytes, no TLS at all.
        let garbage = try await RawConnection.connect(to: served.endpoint)
        try await garbage.send(Array("{\"id\":1,\"op\":\"hello\",\"version\":2}\n".utf8) + (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        _ = try await garbage.readToEnd()
        #expect(garbage.isClosed)
        // Connects and never starts the handshake.
        let stalled = try await RawConnection.connect(to: served.endpoint)
        await served.serverClock.waitForSleepers(atLeast: 1)
        served.serverClock.advance(by: .seconds(5))
        // Closing for cause lingers for the client to close first; move past that too.
        await served.serverClock.waitForSleepers(atLeast: 1)
        served.serverClock.advance(by: .seconds(5))
        _ = try await stalled.readToEnd()
        #expect(stalled.isClosed)
        let client = served.client()
        try await client.ping()
        await client.close()
        await served.stop()
    }

    @Test("a certificate replaced on disk is served to the next connection")
    func reloadOnFileChange() async throws {
        let served = try await ServedTree.start(on: .tls)
        let first = try #require(served.certificates)
        let client = served.client()
        try await client.ping()
        let replacement = try TestCertificates(name: "Replacement CA")
        let fresh = try replacement.issue("localhost")
        let chain = try #require(served.server.configurationForTests.tls)
        try FileManager.default.removeItem(atPath: chain.certificateChainFile)
        try FileManager.default.removeItem(atPath: chain.privateKeyFile)
        try FileManager.default.copyItem(atPath: fresh.certificateFile, toPath: chain.certificateChainFile)
        try FileManager.default.copyItem(atPath: fresh.keyFile, toPath: chain.privateKeyFile)
        let trustsNew = RemoteSupervisor(
            endpoint: served.endpoint, configuration: .init(token: controlToken, tls: .init(caFile: replacement.caFile)))
        try await trustsNew.ping()
        let trustsOld = RemoteSupervisor(endpoint: served.endpoint, configuration: .init(token: controlToken, tls: .init(caFile: first.caFile)))
        await expectRefused { try await trustsOld.ping() }
        try await client.ping()
        #expect(served.log.records.contains { $0.message == "reloaded TLS certificates" })
        for client in [client, trustsNew, trustsOld] { await client.close() }
        replacement.remove()
        await served.stop()
    }

    @Test("plain TCP needs insecurePlaintext and a loopback address; a client never sends a token in clear text to another machine")
    func plaintextRules() async throws {
        let tokens = [AccessToken(controlToken, permission: .control)]
        let cases: [(SupervisorServer.Configuration, String)] = [
            (.init(listeners: [.tcp(host: "127.0.0.1", port: 0)], tokens: tokens),
             "a TCP listener requires TLS (tls: a certificate and key); plain TCP needs insecurePlaintext: true"),
            (.init(listeners: [.tcp(host: "0.0.0.0", port: 0)], tokens: tokens, insecurePlaintext: true),
             "insecurePlaintext is only allowed on loopback addresses: tokens would cross the network in clear text (tcp://0.0.0.0:0)"),
        ]
        let tree = try await SupervisorHandle.start(.shop, clock: ManualClock())
        for (configuration, message) in cases {
            do {
                _ = try await SupervisorServer.bind(serving: tree, configuration: configuration)
                Issue.record("bound: \(message)")
            } catch let error as RemoteError {
                #expect(error.code == .invalidConfiguration && error.message == message, "\(error)")
            }
        }
        let client = RemoteSupervisor(
            endpoint: .tcp(host: "192.0.2.1", port: 7001), configuration: .init(token: controlToken, insecurePlaintext: true))
        await expectRemoteError(.invalidConfiguration) { try await client.ping() }
        await tree.shutdown()
    }
}
