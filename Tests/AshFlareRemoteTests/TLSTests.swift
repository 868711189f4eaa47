#if TLS
import AshFlare
@testable import AshFlareRemote
import AshFlareRemoteTLS
import AshFlareTestKit
import Foundation
import Testing

/// TLS and mTLS on real TCP sockets, with a CA and certificates made at test time, and the
/// hostile cases: wrong CA, expired and unlisted client certificates, stalled handshakes,
/// garbage before the ClientHello, plain text to a TLS port.
@Suite("TLS", .timeLimit(.minutes(1)))
struct TLSTests {
    /// A client of `served` that trusts `caFile` and presents `identity`.
    func client(
        _ served: ServedTree, caFile: String, identity: TestCertificates.Issued? = nil, token: String? = nil
    ) throws -> RemoteSupervisor {
        var configuration = RemoteSupervisor.Configuration(token: token)
        configuration.tls = try TLSClientSecurity(caFile: caFile, certificateFile: identity?.certificateFile, keyFile: identity?.keyFile)
        return RemoteSupervisor(endpoint: served.endpoint, configuration: configuration)
    }

    /// Expects `body` to fail in the TLS handshake, with a message that says so.
    func expectHandshakeFailure(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("the server accepted the connection", sourceLocation: sourceLocation)
        } catch let error as RemoteError {
            #expect(
                [.connectionFailed, .connectionLost].contains(error.code), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("a client that trusts the server's CA gets the whole API over TLS; one that trusts another CA fails the handshake")
    func serverAuthentication() async throws {
        let served = try await ServedTree.start(on: .tls)
        #expect(served.endpoint.description.hasPrefix("tls://127.0.0.1:"))
        let trusting = served.client()
        let observation = try await trusting.observe()
        try await trusting.kill("shop/acceptor")
        var events = observation.events.makeAsyncIterator()
        #expect(await events.next(where: { $0.isStarted("shop/acceptor", incarnation: 2) }) != nil)
        #expect(trusting.hello?.permission == .control)

        let otherCA = try TestCertificates(name: "Someone Else")
        let misled = try client(served, caFile: otherCA.caFile, token: controlToken)
        do {
            try await misled.ping()
            Issue.record("a client that does not trust the server's CA got in")
        } catch let error as RemoteError {
            #expect(error.code == .connectionFailed && error.message.contains("TLS handshake"), "\(error)")
        }
        // Without TLS options a tls:// endpoint is refused before any byte is sent.
        let bare = RemoteSupervisor(endpoint: served.endpoint, configuration: .init(token: controlToken))
        await expectRemoteError(.invalidConfiguration) { try await bare.ping() }
        try await trusting.ping()
        for client in [trusting, misled, bare] { await client.close() }
        otherCA.remove()
        await served.stop()
    }

    @Test("mTLS: a listed certificate (by CN or SAN) grants its permission without a token; an unlisted one needs a token")
    func clientCertificates() async throws {
        let certificates = try TestCertificates()
        let alice = try certificates.issue("alice"), bob = try certificates.issue("bob")
        let carol = try certificates.issue("carol"), robot = try certificates.issue("robot-7", dnsNames: ["grafana.ops"])
        let served = try await ServedTree.start(on: .tls, certificates: certificates) { configuration in
            configuration.tokens = [AccessToken(readToken, permission: .read)]
            configuration.tls = try TLSServerSecurity(
                certificateChainFile: certificates.server.certificateFile, privateKeyFile: certificates.server.keyFile,
                clientCAFile: certificates.caFile, clientIdentities: ["alice": .control, "bob": .read, "grafana.ops": .read])
        }
        let control = try client(served, caFile: certificates.caFile, identity: alice)
        let read = try client(served, caFile: certificates.caFile, identity: bob)
        let bySAN = try client(served, caFile: certificates.caFile, identity: robot)
        let unlisted = try client(served, caFile: certificates.caFile, identity: carol)
        let unlistedWithToken = try client(served, caFile: certificates.caFile, identity: carol, token: readToken)
        try await control.kill("shop/acceptor")
        #expect(control.hello?.permission == .control)
        _ = try await read.snapshot()
        #expect(read.hello?.permission == .read)
        await expectRemoteError(.permissionDenied) { try await read.kill("shop/acceptor") }
        _ = try await bySAN.snapshot()
        #expect(bySAN.hello?.permission == .read)
        do {
            try await unlisted.ping()
            Issue.record("an unlisted certificate without a token got in")
        } catch let error as RemoteError {
            #expect(error.code == .unauthorized && error.message.contains("'carol' is not listed"), "\(error)")
        }
        try await unlistedWithToken.ping()
        #expect(unlistedWithToken.hello?.permission == .read)
        // Without a client certificate, the handshake itself fails.
        let anonymous = try client(served, caFile: certificates.caFile, token: readToken)
        await expectHandshakeFailure { try await anonymous.ping() }
        for client in [control, read, bySAN, unlisted, unlistedWithToken, anonymous] { await client.close() }
        await served.stop()
    }

    @Test("mTLS: an expired client certificate and one from another CA are refused; the server keeps serving")
    func hostileClientCertificates() async throws {
        let certificates = try TestCertificates()
        let good = try certificates.issue("good")
        let expired = try certificates.issue("expired", validFrom: Date() - 7200, validUntil: Date() - 3600)
        let otherCA = try TestCertificates(name: "Rogue CA")
        let rogue = try otherCA.issue("good", file: "rogue")
        let served = try await ServedTree.start(on: .tls, certificates: certificates) { configuration in
            configuration.tls = try TLSServerSecurity(
                certificateChainFile: certificates.server.certificateFile, privateKeyFile: certificates.server.keyFile,
                clientCAFile: certificates.caFile, clientIdentities: ["good": .control, "expired": .control])
        }
        for identity in [expired, rogue] {
            let refused = try client(served, caFile: certificates.caFile, identity: identity)
            await expectHandshakeFailure { try await refused.ping() }
            await refused.close()
        }
        let accepted = try client(served, caFile: certificates.caFile, identity: good)
        try await accepted.kill("shop/acceptor")
        await accepted.close()
        otherCA.remove()
        await served.stop()
    }

    @Test("a TLS handshake that never starts is closed at the hello deadline, and stalled ones cannot lock a client out")
    func stalledHandshakes() async throws {
        let served = try await ServedTree.start(on: .tls) {
            $0.limits.maxConnections = 4
            $0.limits.maxPendingHandshakes = 3
            $0.limits.idleTimeout = .seconds(1_000_000)
        }
        var silent: [RawConnection] = []
        for _ in 0..<8 { silent.append(try await served.raw()) }
        let client = served.client()
        #expect(try await client.snapshot().root.path == "shop", "the operator got in past 8 stalled handshakes")
        // The newest is still waiting: the handshake deadline closes it. The server may register
        // it only after the client (accepts are served concurrently), so its deadline may start
        // late: time moves on in steps until it is closed (the suite's time limit ends a hang).
        let last = try #require(silent.last)
        #expect(!last.isClosed)
        while !last.isClosed {
            try Task.checkCancellation()
            await served.serverClock.waitForSleepers(atLeast: 1)
            served.serverClock.advance(by: .seconds(5))
            await Task.yield()
        }
        _ = try await last.readToEnd()
        try await client.ping()
        await client.close()
        for connection in silent { await connection.close() }
        await served.stop()
    }

    @Test("garbage before the ClientHello and a plain-text client on the TLS port are dropped without a plain-text reply")
    func plaintextAndGarbage() async throws {
        let served = try await ServedTree.start(on: .tls)
        let garbage = try await served.raw()
        try await garbage.send((0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        _ = try await garbage.readToEnd()
        #expect(garbage.isClosed)

        let plain = try await served.raw()
        try await plain.send("{\"id\":0,\"op\":\"hello\",\"version\":1,\"token\":\"\(controlToken)\"}\n")
        let answer = try await plain.readToEnd()
        #expect(plain.isClosed)
        #expect(!answer.contains { $0.contains("\"result\"") || $0.contains(controlToken) }, "\(answer)")

        // A plain-TCP client pointed at the TLS port with its insecure flag gets no session either.
        let confused = RemoteSupervisor(
            endpoint: .tcp(host: "127.0.0.1", port: served.endpoint.tcpAddress!.port),
            configuration: .init(token: controlToken, insecurePlaintext: true))
        do {
            try await confused.ping()
            Issue.record("a plain-text client was served on a TLS port")
        } catch let error as RemoteError {
            #expect([.connectionLost, .protocolViolation, .invalidJSON, .connectionFailed].contains(error.code), "\(error)")
        }
        await confused.close()
        let client = served.client()
        try await client.ping()
        await client.close()
        await served.stop()
    }

    @Test("a v1 client speaks protocol 1 over TLS")
    func versionOneOverTLS() async throws {
        let served = try await ServedTree.start(on: .tls)
        let certificates = try #require(served.certificates)
        let raw = try await RawConnection.connect(to: served.endpoint, tls: try TLSClientSecurity(caFile: certificates.caFile))
        try await raw.send("{\"id\":0,\"op\":\"hello\",\"version\":1,\"token\":\"\(controlToken)\"}\n")
        let hello = try #require(try await raw.readLine())
        #expect(hello.hasPrefix("{\"id\":0,\"result\":{") && hello.contains("\"version\":1"), "\(hello)")
        try await raw.send("{\"id\":1,\"op\":\"ping\"}\n")
        #expect(try await raw.readLine()?.hasPrefix("{\"id\":1,\"result\"") == true)
        await raw.close()
        await served.stop()
    }

    @Test("reload() serves replaced files to new connections only; a broken file keeps the previous certificate")
    func reload() async throws {
        let served = try await ServedTree.start(on: .tls)
        let first = try #require(served.certificates)
        let security = try #require(served.server.configurationTLS as? TLSServerSecurity)
        let open = served.client()
        try await open.ping()
        let replacement = try TestCertificates(name: "Replacement CA")
        func replaceServerFiles(with issued: TestCertificates.Issued) throws {
            for (from, to) in [(issued.certificateFile, first.server.certificateFile), (issued.keyFile, first.server.keyFile)] {
                try FileManager.default.removeItem(atPath: to)
                try FileManager.default.copyItem(atPath: from, toPath: to)
            }
        }
        try replaceServerFiles(with: replacement.server)
        // Files are read at reload (SIGHUP), not watched: until then the old certificate stays.
        let trustsOld = try client(served, caFile: first.caFile, token: controlToken)
        try await trustsOld.ping()
        #expect(try security.reload() == 2)
        let trustsNew = try client(served, caFile: replacement.caFile, token: controlToken)
        try await trustsNew.ping()
        let trustsOldAgain = try client(served, caFile: first.caFile, token: controlToken)
        await expectHandshakeFailure { try await trustsOldAgain.ping() }
        try await open.ping()

        try "not a certificate".write(toFile: first.server.certificateFile, atomically: true, encoding: .utf8)
        do {
            try security.reload()
            Issue.record("a broken certificate file was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration && error.message.contains(first.server.certificateFile), "\(error)")
        }
        let stillNew = try client(served, caFile: replacement.caFile, token: controlToken)
        try await stillNew.ping()
        for client in [open, trustsOld, trustsNew, trustsOldAgain, stillNew] { await client.close() }
        replacement.remove()
        await served.stop()
    }

    @Test("flare run --serve reloads its certificate on SIGHUP (the real binary), and SIGHUP does not stop it")
    func reloadOnHangup() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let tree = certificates.directory + "/tree.yaml"
        try "supervisor: app\nchildren:\n  - id: sleeper\n    command: [/bin/sleep, \"1000\"]\n".write(toFile: tree, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = try FlareProcess.executable()
        process.arguments = [
            "run", tree, "--headless", "--serve", "tls://127.0.0.1:0", "--token", controlToken,
            "--tls-cert", certificates.server.certificateFile, "--tls-key", certificates.server.keyFile,
        ]
        var environment = ["PATH": "/usr/bin:/bin"]
        for (key, value) in ProcessInfo.processInfo.environment where key.hasSuffix("SAN_OPTIONS") { environment[key] = value }
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let output = Collector(stdout.fileHandleForReading)
        var lines = LineReader.lines(of: stderr.fileHandleForReading).makeAsyncIterator()
        try process.run()
        var seen: [String] = []
        while let line = await lines.next() {
            seen.append(line)
            if line.contains("serving on tls://127.0.0.1:") { break }
        }
        kill(process.processIdentifier, SIGHUP)
        var reloaded = false
        while let line = await lines.next() {
            seen.append(line)
            if line.contains("run: SIGHUP: reloaded the TLS certificate (load 2)") {
                reloaded = true
                break
            }
        }
        #expect(reloaded, "\(seen)")
        #expect(process.isRunning, "SIGHUP stopped flare run")
        kill(process.processIdentifier, SIGTERM)
        while await lines.next() != nil {}
        process.waitUntilExit()
        _ = await output.text()
    }

    @Test("files that cannot be loaded are named in the error")
    func badFiles() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let cases: [(() throws -> Void, String)] = [
            ({ _ = try TLSServerSecurity(certificateChainFile: "/nonexistent/a.pem", privateKeyFile: certificates.server.keyFile) },
             "the TLS certificate chain file '/nonexistent/a.pem' could not be loaded"),
            ({ _ = try TLSServerSecurity(certificateChainFile: certificates.server.certificateFile, privateKeyFile: certificates.caFile) },
             "the TLS private key file '\(certificates.caFile)' could not be loaded"),
            ({ _ = try TLSServerSecurity(
                certificateChainFile: certificates.server.certificateFile, privateKeyFile: certificates.server.keyFile,
                clientIdentities: ["alice": .control]) },
             "clientIdentities needs clientCAFile"),
            ({ _ = try TLSClientSecurity(caFile: "/nonexistent/ca.pem") }, "the TLS CA file '/nonexistent/ca.pem' could not be loaded"),
            ({ _ = try TLSClientSecurity(certificateFile: certificates.server.certificateFile) }, "needs both the certificate file and its key file"),
        ]
        for (body, message) in cases {
            do {
                try body()
                Issue.record("accepted: \(message)")
            } catch let error as RemoteError {
                #expect(error.code == .invalidConfiguration && error.message.contains(message), "\(error.message)")
            }
        }
    }
}
#endif
