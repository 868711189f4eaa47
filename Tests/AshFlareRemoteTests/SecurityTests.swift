import AshFlare
@testable import AshFlareRemote
import AshFlareTestKit
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Security: tokens, permissions, the socket file", .timeLimit(.minutes(1)))
struct SecurityTests {
    @Test("TCP without a token, or with a wrong one, is refused with unauthorized, closed and logged")
    func tcpNeedsToken() async throws {
        let served = try await ServedTree.start(on: .tcp)
        let before = served.tree.snapshot()
        for token in [nil, "wrong", controlToken + "x", String(controlToken.dropLast())] as [String?] {
            let client = RemoteSupervisor(endpoint: served.endpoint, configuration: served.clientConfiguration(token: token))
            await expectRemoteError(.unauthorized) { try await client.kill("shop/acceptor") }
            await client.close()
        }
        #expect(served.log.records.filter { $0.metadata["remote.reason"] == "unauthorized" }.count == 4)
        #expect(served.log.records.allSatisfy { !$0.message.contains(controlToken) && !$0.metadata.values.contains { $0.contains(controlToken) } })
        #expect(served.tree.snapshot() == before)
        await served.stop()
    }

    @Test("a wrong token gets an error reply naming the problem, then the connection closes")
    func wrongTokenReply() async throws {
        let served = try await ServedTree.start(on: .tcp)
        let raw = try await served.raw()
        try await raw.send("{\"id\":1,\"op\":\"hello\",\"version\":1,\"token\":\"guess\"}\n")
        #expect(try await raw.readToEnd() == ["{\"id\":1,\"error\":{\"code\":\"unauthorized\",\"message\":\"the token is not valid\"}}"])
        await served.stop()
    }

    @Test("a read token may observe but not control; the denial leaves the connection open", arguments: Transport.allCases)
    func readPermission(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let client = served.client(token: readToken)
        #expect(try await client.connect().permission == .read)
        _ = try await client.snapshot()
        _ = try await client.observe()
        _ = try await client.whichChildren(of: "shop")
        _ = try await client.countChildren(of: "shop")
        await expectRemoteError(.permissionDenied) { try await client.kill("shop/acceptor") }
        await expectRemoteError(.permissionDenied) { try await client.terminate("shop/acceptor") }
        await expectRemoteError(.permissionDenied) { try await client.restart("shop/acceptor") }
        await expectRemoteError(.permissionDenied) { try await client.delete("shop/acceptor") }
        await expectRemoteError(.permissionDenied) { _ = try await client.startChild(template: "fetcher", arguments: ["u"], under: "shop/workers") }
        await expectRemoteError(.permissionDenied) { try await client.shutdown() }
        try await client.ping()
        #expect(served.tree.snapshot().root.children[0].incarnation == 1)
        await client.close()
        await served.stop()
    }

    @Test("a read-only server denies control even to a control token", arguments: Transport.allCases)
    func readOnlyServer(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport) { $0.readOnly = true }
        let client = served.client(token: transport == .tcp ? controlToken : nil)
        #expect(try await client.connect().permission == .read)
        await expectRemoteError(.permissionDenied) { try await client.kill("shop/acceptor") }
        await client.close()
        await served.stop()
    }

    @Test("a Unix socket can require tokens, and its tokenless permission can be read-only")
    func unixSocketPolicy() async throws {
        let strict = try await ServedTree.start(on: .unix) { $0.unixSocketRequiresToken = true }
        await expectRemoteError(.unauthorized) { try await strict.client().ping() }
        try await strict.client(token: controlToken).ping()
        await strict.stop()

        let lenient = try await ServedTree.start(on: .unix) { $0.unixSocketPermission = .read }
        #expect(try await lenient.client().connect().permission == .read)
        #expect(try await lenient.client(token: controlToken).connect().permission == .control)
        await expectRemoteError(.unauthorized) { try await lenient.client(token: "wrong").ping() }
        await lenient.stop()
    }

    @Test("configurations that are not secure are rejected before anything is bound")
    func insecureConfigurations() async throws {
        let tree = try await SupervisorHandle.start(.shop, clock: ManualClock())
        let path = temporarySocketPath()
        let cases: [(SupervisorServer.Configuration, String)] = [
            (.init(listeners: [.tcp(host: "127.0.0.1", port: 0)], insecurePlaintext: true), "a TCP listener requires at least one token"),
            (.init(listeners: [.unixSocket(path: path)], unixSocketRequiresToken: true), "tokens is empty"),
            (.init(listeners: [.unixSocket(path: path)], tokens: [AccessToken("")]), "tokens[0] has an empty secret"),
            (.init(listeners: []), "listeners must not be empty"),
            (.init(listeners: [.unixSocket(path: path)], limits: .init(maxConnections: 0)), "limits.maxConnections must be at least 1"),
            (.init(listeners: [.unixSocket(path: path)], limits: .init(idleTimeout: .zero)), "limits.idleTimeout must be positive"),
        ]
        for (configuration, message) in cases {
            do {
                _ = try await SupervisorServer.bind(serving: tree, configuration: configuration)
                Issue.record("accepted: \(message)")
            } catch let error as RemoteError {
                #expect(error.code == .invalidConfiguration)
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
        #expect(access(path, F_OK) != 0)
        await tree.shutdown()
    }

    @Test("the Unix socket is created with mode 0600 and removed when the server stops")
    func socketMode() async throws {
        let served = try await ServedTree.start(on: .unix)
        let path = try #require(served.endpoint.unixSocketPath)
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o600)
        await served.stop()
        #expect(access(path, F_OK) != 0)
    }

    @Test("an existing file that is not a socket is never deleted")
    func refusesToDeleteFiles() async throws {
        let path = temporarySocketPath("file")
        let file = fopen(path, "w")
        fputs("precious", file)
        fclose(file)
        defer { unlink(path) }
        let tree = try await SupervisorHandle.start(.shop, clock: ManualClock())
        await expectRemoteError(.pathNotASocket) {
            _ = try await SupervisorServer.bind(serving: tree, configuration: .init(listeners: [.unixSocket(path: path)]))
        }
        var buffer = [CChar](repeating: 0, count: 16)
        let reopened = fopen(path, "r")
        #expect(fgets(&buffer, 16, reopened) != nil)
        fclose(reopened)
        #expect(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) == "precious")
        await tree.shutdown()
    }

    @Test("a stale socket file is replaced; a live one is left to its server")
    func staleAndLiveSockets() async throws {
        let path = temporarySocketPath("stale")
        // A stale socket: bound, never listened on, closed without unlinking.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8) + [0])
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        close(stale)

        let tree = try await SupervisorHandle.start(.shop, clock: ManualClock())
        let first = try await ServedTree.serve(tree, on: .unix) { $0.listeners = [.unixSocket(path: path)] }
        try await first.client().ping()
        await expectRemoteError(.addressInUse) {
            _ = try await SupervisorServer.bind(serving: tree, configuration: .init(listeners: [.unixSocket(path: path)]))
        }
        try await first.client().ping()
        await first.stop()
    }

    @Test("tokens compare equal only when identical, whatever their lengths")
    func constantTimeComparison() {
        let verifier = TokenVerifier([AccessToken("abc", permission: .read), AccessToken("abcdef", permission: .control)])
        #expect(verifier.permission(for: "abc") == .read)
        #expect(verifier.permission(for: "abcdef") == .control)
        for wrong in ["", "a", "ab", "abd", "abcd", "abcabc", "abcdeg", "abcdefg", "ABC"] {
            #expect(verifier.permission(for: wrong) == nil, "\(wrong)")
        }
    }
}
