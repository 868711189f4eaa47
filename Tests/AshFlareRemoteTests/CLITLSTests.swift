import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

/// `flare` against a TLS server: `--ca`, `--cert`/`--key`, `--insecure-plaintext`.
@Suite("flare over TLS", .timeLimit(.minutes(2)))
struct CLITLSTests {
    @Test("flare tree, kill and top --once work over TLS with --ca; without trusting the CA they fail with a connection error")
    func trustedCA() async throws {
        let served = try await ServedTree.start(on: .tls)
        let certificates = try #require(served.certificates)
        let url = "\(served.endpoint)"
        let env = ["ASHFLARE_TOKEN": controlToken]
        let tree = try await FlareProcess.run(["tree", "--connect", url, "--ca", certificates.caFile], environment: env)
        #expect(tree.status == 0, "\(tree.stderr)")
        #expect(tree.stdoutLines.first?.hasPrefix("shop ") == true)
        let kill = try await FlareProcess.run(["kill", "shop/acceptor", "--connect", url, "--ca", certificates.caFile], environment: env)
        #expect(kill.status == 0, "\(kill.stderr)")
        let top = try await FlareProcess.run(
            ["top", "--once", "--width", "100", "--height", "24", "--no-color", "--connect", url, "--ca", certificates.caFile], environment: env)
        #expect(top.status == 0, "\(top.stderr)")
        #expect(top.stdout.contains("acceptor") && !top.stdout.contains("disconnected"), "\(top.stdout)")
        let untrusted = try await FlareProcess.run(["tree", "--connect", url], environment: env)
        #expect(untrusted.status == 3, "\(untrusted.stderr)")
        #expect(untrusted.stderr.hasPrefix("flare: connection"), "\(untrusted.stderr)")
        await served.stop()
    }

    @Test("flare refuses to send a token over plain TCP to another machine, and --cert needs --key")
    func plaintextRefused() async throws {
        let remote = try await FlareProcess.run(
            ["tree", "--connect", "tcp://192.0.2.1:7001", "--insecure-plaintext"], environment: ["ASHFLARE_TOKEN": controlToken])
        #expect(remote.status == 2, "\(remote.stderr)")
        #expect(remote.stderr.contains("refusing to send a token over plain TCP to tcp://192.0.2.1:7001"), "\(remote.stderr)")
        let half = try await FlareProcess.run(["tree", "--connect", "tcp://127.0.0.1:1", "--cert", "c.pem"])
        #expect(half.status == 2 && half.stderr.contains("--cert and --key go together"), "\(half.stderr)")
    }
}
