import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

/// Every kind of bad input gets a clear error or a closed connection; the server keeps serving
/// others and the tree is untouched.
@Suite("Bad input", .timeLimit(.minutes(1)))
struct BadInputTests {
    /// Checks the server still serves a well-behaved client and the tree is as it was.
    func expectUnharmed(_ served: ServedTree, before: TreeSnapshot, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let client = served.client()
        #expect(try await client.snapshot() == before, sourceLocation: sourceLocation)
        #expect(served.tree.snapshot() == before, sourceLocation: sourceLocation)
        await client.close()
    }

    /// Decodes an error line into (id, code, message).
    func error(_ line: String?) throws -> (id: String, code: String, message: String) {
        let line = try #require(line)
        let id = try #require(line.firstMatch(of: /^\{"id":(null|\d+),"error":/)?.1)
        let code = try #require(line.firstMatch(of: /"code":"(\w+)"/)?.1)
        let message = try #require(line.firstMatch(of: /"message":"([^"]*)"/)?.1)
        return (String(id), String(code), String(message))
    }

    @Test("random bytes before hello get invalidJSON and a closed connection", arguments: Transport.allCases)
    func randomBytes(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let before = served.tree.snapshot()
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<2_000).map { _ in UInt8.random(in: 0...255, using: &generator) } + [UInt8(ascii: "\n")]
        let raw = try await served.raw()
        try await raw.send(noise)
        let lines = try await raw.readToEnd()
        let reply = try error(lines.first)
        #expect(reply.code == "invalidJSON" || reply.code == "frameTooLarge")
        #expect(lines.count == 1)
        try await expectUnharmed(served, before: before)
        await served.stop()
    }

    @Test("a frame longer than the limit gets frameTooLarge and a closed connection", arguments: Transport.allCases)
    func oversizedFrame(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport) { $0.limits.maxFrameSize = 1024 }
        let before = served.tree.snapshot()
        for withNewline in [false, true] {
            let raw = try await served.greetedRaw()
            try await raw.send(Array(repeating: UInt8(ascii: "a"), count: 5_000) + (withNewline ? [UInt8(ascii: "\n")] : []))
            let lines = try await raw.readToEnd()
            #expect(try error(lines.last).code == "frameTooLarge")
            #expect(try error(lines.last).message.contains("1024 bytes"))
        }
        try await expectUnharmed(served, before: before)
        await served.stop()
    }

    @Test("an oversized binary length prefix (a length-prefixed client) is refused, not trusted", arguments: Transport.allCases)
    func oversizedLengthPrefix(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport) { $0.limits.maxFrameSize = 4096 }
        let before = served.tree.snapshot()
        // 4-byte big-endian 0x7FFFFFFF, then payload bytes and no newline: never allocated, never parsed.
        let raw = try await served.raw()
        try await raw.send([0x7F, 0xFF, 0xFF, 0xFF] + Array(repeating: 0x41, count: 10_000))
        #expect(try error(try await raw.readToEnd().last).code == "frameTooLarge")
        // A length prefix followed by JSON and a newline is just invalid JSON.
        let second = try await served.raw()
        try await second.send([0x00, 0x00, 0x00, 0x22] + Array("{\"id\":1,\"op\":\"hello\",\"version\":1}\n".utf8))
        #expect(try error(try await second.readToEnd().first).code == "invalidJSON")
        try await expectUnharmed(served, before: before)
        await served.stop()
    }

    @Test("a truncated frame at the end of the input gets an error and a closed connection", arguments: Transport.allCases)
    func truncatedFrame(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let before = served.tree.snapshot()
        let raw = try await served.greetedRaw()
        try await raw.send("{\"id\":1,\"op\":\"kil")
        raw.finishSending()
        let reply = try error(try await raw.readToEnd().last)
        #expect(reply.code == "invalidJSON")
        #expect(reply.message.contains("ended inside a frame"))
        try await expectUnharmed(served, before: before)
        await served.stop()
    }

    @Test("invalid JSON, unknown ops, wrong field types and unknown paths get an error reply; the connection stays open",
          arguments: Transport.allCases)
    func recoverableErrors(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let before = served.tree.snapshot()
        let raw = try await served.greetedRaw()
        let cases: [(frame: String, id: String, code: String, mentions: String)] = [
            ("{\"id\":1,\"op\":", "null", "invalidJSON", "unexpected end"),
            ("{\"id\":2,\"op\":\"kill\",\"path\":\"shop/acceptor\",}", "null", "invalidJSON", "member name"),
            ("not json at all", "null", "invalidJSON", "invalid literal at byte 0"),
            ("<html>", "null", "invalidJSON", "unexpected character at byte 0"),
            ("{\"id\":3,\"op\":\"k\\u00e9ll\"}", "3", "unknownOp", "unknown op 'kéll'"),
            ("{\"id\":4,\"op\":\"explode\",\"path\":\"shop\"}", "4", "unknownOp", "the ops are hello, ping"),
            ("{\"id\":\"five\",\"op\":\"ping\"}", "null", "badRequest", "'id' must be a non-negative integer (was a string)"),
            ("{\"id\":6,\"op\":\"kill\",\"path\":6}", "6", "badRequest", "'path' must be a string (was a number)"),
            ("{\"id\":7,\"op\":\"kill\"}", "7", "badRequest", "missing the field 'path'"),
            ("{\"id\":8,\"op\":\"kill\",\"path\":\"shop//acceptor\"}", "8", "badRequest", "with no empty part"),
            ("{\"id\":9,\"op\":\"startChild\",\"supervisor\":\"shop/workers\",\"template\":\"fetcher\",\"arguments\":[1]}",
             "9", "badRequest", "'arguments' must be a string"),
            ("{\"id\":10,\"op\":[\"kill\"]}", "10", "badRequest", "'op' must be a string (was an array)"),
            ("[1,2,3]", "null", "badRequest", "must be a JSON object"),
            ("{\"id\":-1,\"op\":\"ping\"}", "null", "badRequest", "non-negative"),
            ("{\"id\":12,\"op\":\"kill\",\"path\":\"shop/nope\"}", "12", "childNotFound", "shop/nope"),
            ("{\"id\":13,\"op\":\"whichChildren\",\"path\":\"other/root\"}", "13", "childNotFound", "other/root"),
            ("{\"id\":14,\"op\":\"hello\",\"version\":1}", "14", "badRequest", "already"),
            ("{\"id\":15,\"op\":\"unsubscribe\",\"subscription\":99}", "15", "unknownSubscription", "99"),
            (String(repeating: "[", count: 10_000), "null", "invalidJSON", "nesting deeper"),
            ("{\"id\":16,\"op\":\"ping\",\"path\":\"\\ud800\"}", "null", "invalidJSON", "surrogate"),
        ]
        for (frame, id, code, mentions) in cases {
            try await raw.send(frame + "\n")
            let reply = try error(try await raw.readLine())
            #expect(reply.id == id, "\(frame)")
            #expect(reply.code == code, "\(frame)")
            #expect(reply.message.contains(mentions), "\(frame): \(reply.message)")
        }
        // Invalid UTF-8 inside a string.
        try await raw.send(Array("{\"id\":17,\"op\":\"kill\",\"path\":\"".utf8) + [0xFF, 0xFE] + Array("\"}\n".utf8))
        #expect(try error(try await raw.readLine()).code == "invalidJSON")
        // Blank lines are ignored; the connection still answers.
        try await raw.send("\n\r\n{\"id\":18,\"op\":\"ping\"}\r\n")
        #expect(try await raw.readLine() == "{\"id\":18,\"result\":{}}")
        try await expectUnharmed(served, before: before)
        await raw.close()
        await served.stop()
    }

    @Test("a request before hello gets handshakeRequired and a closed connection", arguments: Transport.allCases)
    func requestBeforeHello(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let raw = try await served.raw()
        try await raw.send("{\"id\":1,\"op\":\"kill\",\"path\":\"shop/acceptor\"}\n")
        let lines = try await raw.readToEnd()
        #expect(lines.count == 1)
        #expect(try error(lines.first) == ("1", "handshakeRequired", "the first request must be 'hello' (was 'kill')"))
        #expect(served.tree.snapshot().root.children[0].incarnation == 1)
        await served.stop()
    }

    @Test("an unsupported protocol version gets unsupportedVersion and a closed connection", arguments: Transport.allCases)
    func unsupportedVersion(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let raw = try await served.raw()
        try await raw.send("{\"id\":1,\"op\":\"hello\",\"version\":7,\"token\":\"\(controlToken)\"}\n")
        let lines = try await raw.readToEnd()
        #expect(try error(lines.first) == ("1", "unsupportedVersion", "this server speaks protocol versions 1, 2 (the client asked for 7)"))
        await served.stop()
    }

    @Test("a client that connects and says nothing is closed after the handshake timeout", arguments: Transport.allCases)
    func silentClient(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport) { $0.limits.handshakeTimeout = .seconds(5) }
        let raw = try await served.raw()
        await served.serverClock.waitForSleepers(atLeast: 1)
        served.serverClock.advance(by: .seconds(5))
        let lines = try await raw.readToEnd()
        #expect(try error(lines.first) == ("null", "handshakeTimeout", "no hello within 5.0 seconds; closing"))
        let client = served.client()
        try await client.ping()
        await client.close()
        await served.stop()
    }

    @Test("a greeted client that goes quiet is closed after the idle timeout; a subscriber is not", arguments: Transport.allCases)
    func idleClient(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport) {
            $0.limits.handshakeTimeout = .seconds(5)
            $0.limits.idleTimeout = .seconds(60)
        }
        let subscriber = served.client()
        let observation = try await subscriber.observe()
        let raw = try await served.greetedRaw()
        // Both connections' watchdogs sleep; move past both deadlines.
        await served.serverClock.waitForSleepers(atLeast: 2)
        served.serverClock.advance(by: .seconds(61))
        #expect(try error(try await raw.readToEnd().first) == ("null", "idleTimeout", "nothing received for 60.0 seconds; closing"))
        // The subscriber's connection is still open.
        try await served.tree.kill("shop/acceptor")
        var events = observation.events.makeAsyncIterator()
        #expect(await events.next(where: { $0.isStarted("shop/acceptor", incarnation: 2) }) != nil)
        await subscriber.close()
        await served.stop()
    }

    @Test("a subscriber that stops reading is dropped; the tree never waits and other clients are served")
    func slowConsumer() async throws {
        let spec = SupervisorSpec("loop", intensity: RestartIntensity(maxRestarts: 1_000_000_000, within: .seconds(1))) {
            ChildSpec.worker("crash", backoff: .none) { CrashingWorker("again") }
        }
        let served = try await ServedTree.start(spec, on: .unix) { $0.limits.maxEventBacklog = 16 }
        let raw = try await served.greetedRaw()
        try await raw.send("{\"id\":1,\"op\":\"subscribe\"}\n")
        // The raw client never reads; the crash loop floods it until the server drops it.
        let record = await served.log.closed(because: "slowConsumer")
        #expect(record.metadata["remote.message"]?.contains("subscription 1 fell more than 16 events behind") == true)
        let other = served.client()
        #expect(try await other.snapshot().root.children[0].restartCount > 0)
        await other.close()
        await raw.close()
        await served.stop()
    }

    @Test("a refused client that never closes its side is closed after the linger timeout")
    func lingerTimeout() async throws {
        let served = try await ServedTree.start(on: .unix)
        let raw = try await served.raw(staysOpen: true)
        try await raw.send("nonsense\n")
        #expect(try error(try await raw.readToEnd().first).code == "invalidJSON")
        // The server has sent its last frame and ended its side; it waits for ours, then gives up.
        await served.serverClock.waitForSleepers(atLeast: 1)
        served.serverClock.advance(by: .seconds(5))
        await raw.waitUntilClosed()
        await served.stop()
    }

    @Test("an authenticated connection past the limit gets tooManyConnections instead of a hello reply and is closed")
    func tooManyConnections() async throws {
        let served = try await ServedTree.start(on: .unix) { $0.limits.maxConnections = 2 }
        let first = try await served.greetedRaw()
        let second = try await served.greetedRaw()
        let third = try await served.raw()
        try await third.send("{\"id\":1,\"op\":\"hello\",\"version\":2}\n")
        let refused = try error(try await third.readToEnd().first)
        #expect(refused.id == "1" && refused.code == "tooManyConnections", "\(refused)")
        await first.close()
        _ = try await first.readToEnd()
        await second.close()
        await served.stop()
    }
}
