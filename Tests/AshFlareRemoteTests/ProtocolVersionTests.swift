import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

/// Version negotiation and the stricter reading of protocol v2, over real sockets.
@Suite("Protocol v2", .timeLimit(.minutes(1)))
struct ProtocolVersionTests {
    /// The error code and message of an error line.
    func error(_ line: String?) throws -> (code: String, message: String) {
        let line = try #require(line)
        let code = try #require(line.firstMatch(of: /"code":"(\w+)"/)?.1)
        let message = try #require(line.firstMatch(of: /"message":"([^"]*)"/)?.1)
        return (String(code), String(message))
    }

    @Test("a hello offering versions 1 and 2 speaks 2; asking only for 1 speaks 1", arguments: Transport.allCases)
    func negotiation(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let token = transport == .tcp ? ",\"token\":\"\(controlToken)\"" : ""
        for (hello, version) in [("\"version\":1,\"versions\":[1,2]", 2), ("\"version\":1", 1), ("\"version\":2", 2)] {
            let raw = try await served.raw()
            try await raw.send("{\"id\":1,\"op\":\"hello\",\(hello)\(token)}\n")
            let reply = try #require(try await raw.readLine())
            #expect(reply.hasPrefix("{\"id\":1,\"result\":{\"version\":\(version),"), "\(hello): \(reply)")
            await raw.close()
        }
        await served.stop()
    }

    @Test("a version the server does not speak gets unsupportedVersion listing the versions it speaks")
    func unsupportedVersion() async throws {
        let served = try await ServedTree.start(on: .unix)
        let raw = try await served.raw()
        try await raw.send("{\"id\":1,\"op\":\"hello\",\"version\":3,\"versions\":[3,4]}\n")
        let lines = try await raw.readToEnd()
        let reply = try error(lines.first)
        #expect(reply.code == "unsupportedVersion")
        #expect(reply.message == "this server speaks protocol versions 1, 2 (the client asked for 3, 3, 4)")
        await served.stop()
    }

    @Test("v1 still ignores fields it does not know; v2 refuses them with badRequest naming them", arguments: Transport.allCases)
    func unknownFields(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let before = served.tree.snapshot()
        let v1 = try await served.greetedRaw(version: 1)
        try await v1.send("{\"id\":2,\"op\":\"ping\",\"extra\":[1,{\"a\":2}]}\n")
        #expect(try await v1.readLine() == "{\"id\":2,\"result\":{}}")
        let v2 = try await served.greetedRaw(version: 2)
        try await v2.send("{\"id\":2,\"op\":\"kill\",\"path\":\"shop/db/pool\",\"force\":true,\"why\":1}\n")
        let refused = try error(try await v2.readLine())
        #expect(refused.code == "badRequest")
        #expect(refused.message == "the 'kill' request does not take the fields 'force', 'why'; it takes id, op, path, ifExecution")
        try await v2.send("{\"id\":3,\"op\":\"ping\"}\n")
        #expect(try await v2.readLine() == "{\"id\":3,\"result\":{}}", "the connection stays open")
        #expect(served.tree.snapshot().root == before.root, "nothing was killed")
        await served.stop()
    }

    @Test("a v2 hello with a field hello does not take is refused and the connection closed")
    func strictHello() async throws {
        let served = try await ServedTree.start(on: .unix)
        let raw = try await served.raw()
        try await raw.send("{\"id\":1,\"op\":\"hello\",\"version\":2,\"tokn\":\"x\"}\n")
        // Read the reply before waiting for the close: a server that accepted would never close.
        let reply = try error(try await raw.readLine())
        #expect(reply.code == "badRequest" && reply.message.contains("does not take the field 'tokn'"), "\(reply)")
        #expect(try await raw.readToEnd().isEmpty, "nothing follows, and the connection closes")
        await served.stop()
    }

    @Test("a field named twice is refused in every version, so a proxy and the server never read different ops",
          arguments: [1, 2])
    func duplicateKeys(_ version: Int) async throws {
        let served = try await ServedTree.start(on: .unix)
        let raw = try await served.greetedRaw(version: version)
        try await raw.send("{\"id\":2,\"op\":\"ping\",\"op\":\"shutdown\"}\n")
        let refused = try error(try await raw.readLine())
        #expect(refused.code == "badRequest")
        #expect(refused.message == "the request has the field 'op' twice; each field may appear once")
        // An escaped spelling of the same name is the same name.
        try await raw.send("{\"id\":3,\"op\":\"ping\",\"\\u006fp\":\"shutdown\"}\n")
        #expect(try error(try await raw.readLine()).message.contains("'op' twice"))
        try await raw.send("{\"id\":4,\"id\":5,\"op\":\"ping\"}\n")
        #expect(try await raw.readLine()?.hasPrefix("{\"id\":null,\"error\":{\"code\":\"badRequest\"") == true)
        #expect(served.tree.snapshot().root.state == .running, "the tree was not shut down")
        await served.stop()
    }

    @Test("shutdown with a path is refused in every version and points to terminate", arguments: [1, 2])
    func shutdownTakesNoPath(_ version: Int) async throws {
        let served = try await ServedTree.start(on: .unix)
        let raw = try await served.greetedRaw(version: version)
        try await raw.send("{\"id\":2,\"op\":\"shutdown\",\"path\":\"shop/db\"}\n")
        let refused = try error(try await raw.readLine())
        #expect(refused.code == "badRequest")
        #expect(refused.message == "'shutdown' stops the whole tree and takes no 'path'; to stop the subtree 'shop/db', send 'terminate' with its path")
        #expect(served.tree.snapshot().root.state == .running, "the tree was not shut down")
        await served.stop()
    }

    @Test("operations on the root get rootSupervisor naming the wire op; a stopped supervisor's children supervisorNotRunning")
    func rootAndStoppedSupervisor() async throws {
        let served = try await ServedTree.start(on: .unix)
        let raw = try await served.greetedRaw(version: 2)
        for (id, op) in ["kill", "terminate", "restart", "delete"].enumerated() {
            try await raw.send("{\"id\":\(id + 10),\"op\":\"\(op)\",\"path\":\"shop\"}\n")
            let refused = try error(try await raw.readLine())
            #expect(refused.code == "rootSupervisor", "\(op)")
            #expect(refused.message == "'shop' is the root supervisor: '\(op)' needs a child of a supervisor; send 'shutdown' to stop the whole tree")
        }
        try await raw.send("{\"id\":20,\"op\":\"kill\",\"path\":\"elsewhere\"}\n")
        #expect(try error(try await raw.readLine()).code == "childNotFound", "a single name that is not the root")
        try await served.tree.terminate("shop/db")
        try await raw.send("{\"id\":21,\"op\":\"whichChildren\",\"path\":\"shop/db\"}\n")
        let stopped = try error(try await raw.readLine())
        #expect(stopped.code == "supervisorNotRunning")
        #expect(stopped.message == "supervisor 'shop/db' is not running (stopped); it has no children until it is restarted")
        await served.stop()
    }

    @Test("a Unix socket server without tokens ignores a token it is sent; one with tokens still refuses a wrong one")
    func tokenToTokenlessUnixServer() async throws {
        let tokenless = try await ServedTree.start(on: .unix) { $0.tokens = [] }
        let accepted = try await tokenless.greetedRaw(token: "whatever-the-client-had", version: 2)
        try await accepted.send("{\"id\":2,\"op\":\"ping\"}\n")
        #expect(try await accepted.readLine() == "{\"id\":2,\"result\":{}}")
        await tokenless.stop()
        let withTokens = try await ServedTree.start(on: .unix)
        let raw = try await withTokens.raw()
        try await raw.send("{\"id\":1,\"op\":\"hello\",\"version\":2,\"token\":\"wrong\"}\n")
        #expect(try error(try await raw.readToEnd().first).code == "unauthorized")
        await withTokens.stop()
    }

    @Test("a remote client negotiates v2 and gets rootSupervisor as a SupervisorError")
    func clientSpeaksV2() async throws {
        let served = try await ServedTree.start(on: .tcp)
        let client = served.client()
        await expectSupervisorError(.rootSupervisor) { try await client.kill("shop") }
        #expect(client.hello?.version == 2)
        await client.close()
        await served.stop()
    }
}
