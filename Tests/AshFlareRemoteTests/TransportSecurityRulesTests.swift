import AshFlare
@testable import AshFlareRemote
import AshFlareTestKit
import NIOCore
import Testing

/// The rules that decide, before and at `hello`, whether a transport may carry a token: pure
/// functions, so every row is checked without a socket.
@Suite("Transport security rules")
struct TransportSecurityRulesTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let transport: ConnectionTransport
        let token: String?
        let expected: String
        var readOnly = false
        var testDescription: String { "\(transport) token=\(token ?? "none") -> \(expected)" }
    }

    static let alice = PeerIdentity(name: "alice", permission: .control)
    static let viewer = PeerIdentity(name: "grafana", permission: .read)
    static let stranger = PeerIdentity(name: "carol", permission: nil)

    static let rows: [Row] = [
        Row(transport: .plaintextTCP(peerIsLoopback: true), token: controlToken, expected: "control"),
        Row(transport: .plaintextTCP(peerIsLoopback: true), token: readToken, expected: "read"),
        Row(transport: .plaintextTCP(peerIsLoopback: true), token: nil, expected: "this server requires a token"),
        Row(transport: .plaintextTCP(peerIsLoopback: false), token: controlToken, expected: "tokens are not accepted over plain TCP from a non-loopback address"),
        Row(transport: .plaintextTCP(peerIsLoopback: false), token: "wrong", expected: "tokens are not accepted over plain TCP from a non-loopback address"),
        Row(transport: .tls(identity: nil), token: controlToken, expected: "control"),
        Row(transport: .tls(identity: nil), token: "wrong", expected: "the token is not valid"),
        Row(transport: .tls(identity: nil), token: nil, expected: "this server requires a token"),
        Row(transport: .tls(identity: alice), token: nil, expected: "control"),
        Row(transport: .tls(identity: viewer), token: nil, expected: "read"),
        Row(transport: .tls(identity: viewer), token: controlToken, expected: "control"),
        Row(transport: .tls(identity: alice), token: readToken, expected: "control"),
        Row(transport: .tls(identity: alice), token: "wrong", expected: "the token is not valid"),
        Row(transport: .tls(identity: stranger), token: nil, expected: "the client certificate 'carol' is not listed on this server"),
        Row(transport: .tls(identity: stranger), token: readToken, expected: "read"),
        Row(transport: .tls(identity: alice), token: nil, expected: "read", readOnly: true),
        Row(transport: .unixSocket, token: nil, expected: "control"),
        Row(transport: .unixSocket, token: "wrong", expected: "the token is not valid"),
    ]

    @Test("the permission hello earns, per transport, token and certificate", arguments: rows)
    func permission(_ row: Row) {
        var configuration = SupervisorServer.Configuration(
            listeners: [.unixSocket(path: "/tmp/x.sock")],
            tokens: [AccessToken(controlToken, permission: .control), AccessToken(readToken, permission: .read)])
        configuration.readOnly = row.readOnly
        let outcome = HelloAuthentication.permission(
            token: row.token, transport: row.transport, configuration: configuration, verifier: TokenVerifier(configuration.tokens))
        switch outcome {
        case .success(let permission): #expect(permission.name == row.expected)
        case .failure(let error): #expect(error.code == .unauthorized && error.message.hasPrefix(row.expected), "\(error.message)")
        }
    }

    @Test("--tls-client entries: NAME=read or NAME=control, the last = splits", arguments: [
        ("alice=control", "alice", RemotePermission.control), ("grafana=read", "grafana", .read), ("a=b=read", "a=b", .read),
        ("=read", nil, nil), ("alice", nil, nil), ("alice=admin", nil, nil), ("alice=", nil, nil),
    ] as [(String, String?, RemotePermission?)])
    func identityEntries(entry: String, name: String?, permission: RemotePermission?) {
        let parsed = RemotePermission.identity(entry)
        #expect(parsed?.name == name)
        #expect(parsed?.permission == permission)
    }

    @Test("loopback peers are 127.0.0.0/8, ::1 and IPv4-mapped 127.x; every other address is not")
    func loopbackPeers() throws {
        for address in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            #expect(try SocketAddress(ipAddress: address, port: 1).isLoopback, "\(address)")
        }
        for address in ["10.0.0.1", "192.0.2.1", "0.0.0.0", "128.0.0.1", "::2", "::ffff:10.0.0.1", "fe80::1", "2001:db8::1"] {
            #expect(try !SocketAddress(ipAddress: address, port: 1).isLoopback, "\(address)")
        }
    }

    @Test("a client refuses plain TCP without its insecure flag, a token in clear text to another host, and tls:// without TLS options")
    func clientRules() throws {
        func check(_ url: String, token: String?, insecure: Bool) -> String? {
            let configuration = RemoteSupervisor.Configuration(token: token, insecurePlaintext: insecure)
            do throws(RemoteError) {
                try configuration.validate(for: try RemoteEndpoint(url: url))
                return nil
            } catch {
                return error.message
            }
        }
        #expect(check("tcp://127.0.0.1:7001", token: "t", insecure: false)?.contains("is plain TCP, which carries the token in clear text") == true)
        #expect(check("tcp://127.0.0.1:7001", token: "t", insecure: true) == nil)
        #expect(check("tcp://localhost:7001", token: "t", insecure: true) == nil)
        #expect(check("tcp://[::1]:7001", token: "t", insecure: true) == nil)
        #expect(check("tcp://10.1.2.3:7001", token: nil, insecure: true) == nil)
        for host in ["10.1.2.3", "shop.internal", "127.0.0.1.nip.io", "[::2]"] {
            #expect(check("tcp://\(host):7001", token: "t", insecure: true)?.hasPrefix("refusing to send a token over plain TCP") == true, "\(host)")
        }
        #expect(check("tls://shop.internal:7001", token: "t", insecure: false)?.contains("needs tls") == true)
        #expect(check("unix:///tmp/a.sock", token: "t", insecure: false) == nil)
    }

    @Test("a server refuses plain TCP without insecurePlaintext, tls:// without a certificate, and TLS without a way to authenticate")
    func serverRules() async throws {
        let tree = try await SupervisorHandle.start(.shop, clock: ManualClock())
        let tokens = [AccessToken(controlToken)]
        let cases: [(SupervisorServer.Configuration, String)] = [
            (.init(listeners: [.tcp(host: "127.0.0.1", port: 0)], tokens: tokens), "listener tcp://127.0.0.1:0 is plain TCP"),
            (.init(listeners: [.tls(host: "127.0.0.1", port: 0)], tokens: tokens), "listener tls://127.0.0.1:0 needs tls"),
            (.init(listeners: [.tcp(host: "127.0.0.1", port: 0)], insecurePlaintext: true), "a TCP listener requires at least one token"),
            (.init(listeners: [.tls(host: "127.0.0.1", port: 0)], tls: NoIdentities()), "a TLS listener requires at least one token"),
        ]
        for (configuration, message) in cases {
            do {
                let server = try await SupervisorServer.bind(serving: tree, configuration: configuration)
                await server.shutdown()
                Issue.record("bound: \(message)")
            } catch let error as RemoteError {
                #expect(error.code == .invalidConfiguration && error.message.hasPrefix(message), "\(error.message)")
            }
        }
        await tree.shutdown()
    }

    @Test("tls:// URLs parse and print like tcp:// ones")
    func tlsURLs() throws {
        let endpoint = try RemoteEndpoint(url: "tls://[::1]:7001")
        #expect(endpoint.isTLS && endpoint.isTCP && !endpoint.isPlaintextTCP && endpoint.isLoopback)
        #expect(endpoint.description == "tls://[::1]:7001")
        #expect(try RemoteEndpoint(url: "tls://shop.internal:7001") == .tls(host: "shop.internal", port: 7001))
        #expect(try !RemoteEndpoint(url: "tcp://127.0.0.1:1").isTLS)
        do throws(RemoteError) {
            _ = try RemoteEndpoint(url: "tls://shop.internal")
            Issue.record("a tls:// URL without a port parsed")
        } catch {
            #expect(error.message == "'tls://shop.internal' has no port (write tls://HOST:PORT)")
        }
    }
}

/// A transport security that secures nothing and grants nothing, for validation tests.
private struct NoIdentities: ServerTransportSecurity {
    var grantsPermissions: Bool { false }
    func secureServerChannel(_ channel: any Channel, identified: @escaping @Sendable (PeerIdentity) -> Void) throws {}
}
