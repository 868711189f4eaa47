import Foundation
import AshFlare
@testable import AshFlareRemote
import Testing

@Suite("Wire codec")
struct CodecTests {
    static let events: [SupervisorEvent.Kind] = [
        .childStarted(path: "shop/db", incarnation: 2),
        .childExited(path: "shop/db", incarnation: 2, reason: .normal),
        .childExited(path: "shop/db", incarnation: 2, reason: .shutdown),
        .childExited(path: "shop/db", incarnation: 2, reason: .killed),
        .childExited(path: "shop/db", incarnation: 2, reason: .error("timed out: \"db\"\n\tline 2 \\ é 🔥 \u{1}")),
        .childExited(path: "shop/db", incarnation: 2, reason: .abandoned),
        .childExited(path: "shop/db", incarnation: 2, reason: .escalated),
        .childExited(path: "shop/web", incarnation: 2, reason: .exitStatus(3)),
        .childExited(path: "shop/web", incarnation: 2, reason: .exitStatus(-1)),
        .childExited(path: "shop/web", incarnation: 2, reason: .signal(11)),
        .childExited(path: "shop/web", incarnation: 2, reason: .signal(64)),
        .childExited(path: "shop/web", incarnation: 2, reason: .stopped(.exitedAfterRequest)),
        .childExited(path: "shop/web", incarnation: 2, reason: .stopped(.killedAfterTimeout)),
        .childExited(path: "shop/web", incarnation: 2, reason: .stopped(.killedAtOnce)),
        .childExited(path: "shop/web", incarnation: 2, reason: .stopped(.cancelledNotAwaited)),
        .restartScheduled(path: "shop/db", delay: .milliseconds(1500)),
        .intensityChanged(supervisor: "shop", restarts: 2, maxRestarts: 3),
        .escalated(supervisor: "shop"),
        .childAdded(path: "shop/workers/fetcher-1"),
        .childRemoved(path: "shop/workers/fetcher-1"),
        .abandoned(path: "shop/db", incarnation: UInt64.max),
        .restartCancelled(path: "shop/db"),
        .shutdownBegan(supervisor: "shop"),
        .shutdownFinished(supervisor: "shop"),
        .lagged(missed: 17),
    ]

    @Test("every event type round-trips", arguments: events)
    func eventRoundTrip(_ kind: SupervisorEvent.Kind) throws {
        let event = SupervisorEvent(sequence: 42, time: .nanoseconds(1_234_567_891), kind: kind)
        let json = event.wireJSON
        #expect(!json.contains("\n"))
        #expect(try SupervisorEvent(wireBytes: Array(json.utf8)) == event)
        #expect(try WireJSON.decodeEvent(WireJSON.encode(event)) == event)
    }

    @Test("childAdded carries the new node, whose path must be the event's")
    func childAddedNode() throws {
        let added = Self.node(
            "workers", "shop/workers", state: .stopped,
            supervisor: SupervisorDetails(strategy: .oneForAll, intensity: .default, recentRestarts: []))
        let event = SupervisorEvent(sequence: 9, time: .seconds(1), kind: .childAdded(path: "shop/workers"), node: added)
        let decoded = try SupervisorEvent(wireBytes: Array(event.wireJSON.utf8))
        #expect(decoded == event)
        #expect(decoded.node?.supervisor?.strategy == .oneForAll)
        // A node that is not the event's path is refused, not grafted elsewhere.
        let wrong = event.wireJSON.replacingOccurrences(of: #""path":"shop/workers""#, with: #""path":"shop/other""#)
        #expect(throws: (any Error).self) { try SupervisorEvent(wireBytes: Array(wrong.utf8)) }
    }

    @Test("an event is flat JSON with its type beside the common fields")
    func eventShape() {
        let event = SupervisorEvent(sequence: 7, time: .seconds(2), kind: .childExited(path: "shop/db", incarnation: 3, reason: .error("boom")))
        #expect(event.wireJSON == #"{"sequence":7,"time":2000000000,"type":"childExited","path":"shop/db","incarnation":3,"reason":{"error":"boom"}}"#)
    }

    @Test("process exit reasons are objects a person can read", arguments: [
        (ChildExitReason.exitStatus(3), #"{"exitStatus":3}"#),
        (.signal(11), #"{"signal":11,"name":"SIGSEGV"}"#),
        (.stopped(.killedAfterTimeout), #"{"stopped":"killedAfterTimeout"}"#),
    ])
    func processReasonShape(_ reason: ChildExitReason, _ json: String) {
        let event = SupervisorEvent(sequence: 1, time: .zero, kind: .childExited(path: "a/b", incarnation: 1, reason: reason))
        #expect(event.wireJSON.hasSuffix(#""reason":\#(json)}"#))
    }

    static func node(
        _ id: String, _ path: ChildPath, state: ChildState, children: [NodeSnapshot] = [], supervisor: SupervisorDetails? = nil
    ) -> NodeSnapshot {
        NodeSnapshot(
            id: id, path: path, type: supervisor == nil ? .worker : .supervisor, state: state, restartPolicy: .transient,
            shutdown: supervisor == nil ? .timeout(.seconds(5)) : .infinity,
            backoff: .exponential(initial: .milliseconds(100), maximum: .seconds(30), jitter: 0.25),
            incarnation: 3, restartCount: 2, lastExit: .error("x"), lastExitAt: .milliseconds(5), startedAt: .milliseconds(6),
            supervisor: supervisor, children: children)
    }

    @Test("a snapshot with every state, policy and optional field round-trips")
    func snapshotRoundTrip() throws {
        let states: [ChildState] = [.starting, .running, .backingOff(until: .seconds(9)), .stopping, .stopped, .failed, .abandoned]
        let workers = states.enumerated().map { index, state in Self.node("w\(index)", ChildPath(components: ["root", "sup", "w\(index)"]), state: state) }
        var bare = Self.node("bare", "root/bare", state: .stopped)
        bare.lastExit = nil
        bare.lastExitAt = nil
        bare.startedAt = nil
        bare.shutdown = .brutal
        var web = Self.node("web", "root/web", state: .running)
        web.process = ProcessDetails(pid: 4242, cpuPercent: 12.5, residentBytes: 13_107_200)
        var fresh = Self.node("fresh", "root/fresh", state: .running)
        fresh.process = ProcessDetails(pid: 7)
        let details = SupervisorDetails(
            strategy: .restForOne, intensity: RestartIntensity(maxRestarts: 3, within: .seconds(5)),
            recentRestarts: [.seconds(1), .seconds(2)], templates: [TemplateInfo(name: "t", summary: "s", parameters: ["a", "b"])])
        let sup = Self.node("sup", "root/sup", state: .running, children: workers, supervisor: details)
        let context: [String: ContextValue] = [
            "hits": .int(3), "ratio": .double(2), "tiny": .double(1e-7), "name": .string("a\"b"), "on": .bool(true), "none": .null,
            "list": .array([.int(-1), .double(0.5), .object([:])]), "nested": .object(["z": .int(1), "a": .array([])]),
        ]
        let emptySup = Self.node("empty", "root/empty", state: .running, supervisor: SupervisorDetails(
            strategy: .oneForAll, intensity: .default, recentRestarts: [], context: context))
        let root = Self.node("root", "root", state: .running, children: [sup, bare, emptySup, web, fresh], supervisor: details)
        let snapshot = TreeSnapshot(sequence: 99, time: .nanoseconds(123_456_789_012), root: root)
        let decoded = try TreeSnapshot(wireBytes: snapshot.wireBytes)
        #expect(decoded == snapshot)
        #expect(try WireJSON.decodeSnapshot(WireJSON.encode(snapshot)) == snapshot)
    }

    @Test("context values keep their types and are written with sorted keys")
    func contextValues() throws {
        let value = ContextValue.object(["b": .double(2), "a": .int(2), "c": .double(.infinity)])
        #expect(value.wireJSON == #"{"a":2,"b":2.0,"c":null}"#)
        #expect(try ContextValue(wireBytes: Array(#"{"a":2,"b":2.0,"c":1e3,"d":9223372036854775808}"#.utf8))
            == .object(["a": .int(2), "b": .double(2), "c": .double(1000), "d": .double(9223372036854775808)]))
    }

    @Test("a node's children may come before its id")
    func childrenBeforeID() throws {
        let json = #"{"sequence":1,"time":0,"root":{"children":[{"id":"a","type":"worker","state":"running","restart":"permanent","shutdown":"brutal","backoff":{"initial":0,"maximum":0,"jitter":0,"resetAfter":0},"incarnation":1,"restarts":0}],"id":"r","type":"supervisor","state":"running","restart":"permanent","shutdown":"infinity","backoff":{"initial":0,"maximum":0,"jitter":0,"resetAfter":0},"incarnation":1,"restarts":0,"extra":[1,{"x":null}]}}"#
        let snapshot = try TreeSnapshot(wireBytes: Array(json.utf8))
        #expect(snapshot.root.children.map(\.path) == ["r/a"])
    }

    @Test("every request round-trips through the client's encoder and the server's decoder")
    func requestRoundTrip() throws {
        let operations: [WireRequest.Operation] = [
            .hello(version: 1, token: "t\"ok", client: "flare"), .hello(version: 1, token: nil, client: nil), .ping, .snapshot,
            .subscribe, .unsubscribe(subscription: 3), .whichChildren("a/b"), .countChildren("a"), .kill("a/b"),
            .terminate("a/b"), .restart("a/b"), .delete("a/b"), .startChild(supervisor: "a", template: "t", arguments: ["x", "-1"]),
            .shutdown, .logs("a/b", scope: .previous, limit: 5), .logs("a/b", scope: .current, limit: nil),
            .followLogs("a/b", backlog: 10), .kill("a/b", ifExecution: 0), .terminate("a/b", ifExecution: 7),
            .restart("a/b", ifExecution: .max), .delete("a/b", ifExecution: 12),
        ]
        #expect(Set(operations.map(\.name)) == Set(WireRequest.Operation.names))
        for (index, operation) in operations.enumerated() {
            let request = WireRequest(id: UInt64(index), operation: operation)
            #expect(try WireRequest.decode(request.wireBytes, strict: true).get() == request)
        }
        #expect(WireRequest(id: 1, operation: .kill("a/b", ifExecution: 9)).wireJSON == #"{"id":1,"op":"kill","path":"a/b","ifExecution":9}"#)
        #expect(WireRequest(id: 1, operation: .kill("a/b")).wireJSON == #"{"id":1,"op":"kill","path":"a/b"}"#)
    }

    @Test("every reply shape round-trips through the server's encoder and the client's decoder")
    func replyRoundTrip() throws {
        let snapshot = TreeSnapshot(sequence: 1, time: .zero, root: Self.node("r", "r", state: .running, supervisor: SupervisorDetails(
            strategy: .oneForOne, intensity: .default, recentRestarts: [])))
        let results: [(WireResult, WireResult.Shape)] = [
            (.empty, .empty), (.hello(ServerHello(version: 1, server: "s", root: "r", permission: .read, maxFrameSize: 9)), .hello),
            (.snapshot(snapshot), .snapshot), (.subscribed(snapshot), .subscribed),
            (.children([ChildInfo(id: "a", path: "r/a", type: .worker, restartPolicy: .temporary, state: .backingOff(until: .seconds(1)), incarnation: 0)]), .children),
            (.counts(ChildCounts(specs: 1, active: 2, supervisors: 3, workers: 4)), .counts), (.started("r/a"), .started),
        ]
        for (result, shape) in results {
            let frame = ServerFrame.reply(id: 5, result)
            #expect(try ServerFrame.decode(frame.wireBytes) { $0 == 5 ? shape : nil } == frame)
        }
        let others: [ServerFrame] = [
            .error(id: 3, code: "childNotFound", message: "no child at path 'r/x'"), .error(id: nil, code: "idleTimeout", message: "m"),
            .event(subscription: 2, SupervisorEvent(sequence: 1, time: .zero, kind: .childAdded(path: "r/a"))),
            .end(subscription: 2, reason: "treeStopped"),
        ]
        for frame in others {
            #expect(try ServerFrame.decode(frame.wireBytes) { _ in nil } == frame)
        }
    }

    @Test("an error reply becomes the tree's SupervisorError, a RemoteError, or unrecognized")
    func errorMapping() {
        #expect(WireErrorReply.error(code: "childRunning", message: "m") as? SupervisorError == SupervisorError(.childRunning, "m"))
        #expect(WireErrorReply.error(code: "permissionDenied", message: "m") as? RemoteError == RemoteError(.permissionDenied, "m"))
        #expect((WireErrorReply.error(code: "fromTheFuture", message: "m") as? RemoteError)?.code == .unrecognized)
    }

    @Test("the reader accepts every JSON form and rejects what is not JSON")
    func readerStrictness() throws {
        func string(_ json: String) throws(WireError) -> String {
            try JSONReader.read(Array(json.utf8)) { reader throws(WireError) in try reader.readString("s") }
        }
        #expect(try string(#" "a\"b\\c\/d\b\f\n\r\t" "#) == "a\"b\\c/d\u{8}\u{c}\n\r\t")
        #expect(try string(#""\u00e9\u20AC\ud83d\udd25""#) == "é€🔥")
        #expect(try string("\"é🔥\"") == "é🔥")
        for bad in [#""\x""#, #""\u12""#, #""\udc00""#, "\"a", "\"\u{1}\"", "'a'", #""a" x"#, ""] {
            #expect(throws: WireError.self, "\(bad)") { try string(bad) }
        }
        func integer(_ json: String) throws(WireError) -> Int64 {
            try JSONReader.read(Array(json.utf8)) { reader throws(WireError) in try reader.readInt64("n") }
        }
        #expect(try integer("0") == 0)
        #expect(try integer("-9223372036854775808") == .min)
        #expect(try integer("9223372036854775807") == .max)
        for bad in ["9223372036854775808", "01", "-", "1.5", "1e3", "+1", "- 1", "0x10", "1.", ".5"] {
            #expect(throws: WireError.self, "\(bad)") { try integer(bad) }
        }
        func double(_ json: String) throws(WireError) -> Double {
            try JSONReader.read(Array(json.utf8)) { reader throws(WireError) in try reader.readDouble("d") }
        }
        #expect(try double("0.25") == 0.25)
        #expect(try double("-1.5e-3") == -0.0015)
        #expect(try double("2E2") == 200)
        #expect(throws: WireError.self) { try double("1e999") }
    }

    @Test("the writer escapes exactly what JSON requires and never writes a newline")
    func writerEscaping() {
        var writer = JSONWriter()
        writer.object { writer in
            writer.key("s")
            writer.string("a\"b\\c/d\n\r\t\u{1}\u{1f}é")
            writer.key("n")
            writer.integer(Int64.min)
            writer.key("u")
            writer.integer(UInt64.max)
            writer.key("d")
            writer.number(0.25)
            writer.key("z")
            writer.null()
            writer.key("b")
            writer.bool(true)
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == #"{"s":"a\"b\\c/d\n\r\t\u0001\u001fé","n":-9223372036854775808,"u":18446744073709551615,"d":0.25,"z":null,"b":true}"#)
    }

    @Test("endpoint URLs parse and print back")
    func endpoints() throws {
        #expect(try RemoteEndpoint(url: "unix:///tmp/a.sock").unixSocketPath == "/tmp/a.sock")
        #expect(try RemoteEndpoint(url: "tcp://127.0.0.1:7001").tcpAddress! == ("127.0.0.1", 7001))
        #expect(try RemoteEndpoint(url: "tcp://[::1]:7001").tcpAddress! == ("::1", 7001))
        #expect(try RemoteEndpoint(url: "tcp://localhost:7001/").description == "tcp://localhost:7001")
        #expect(RemoteEndpoint.tcp(host: "::1", port: 1).description == "tcp://[::1]:1")
        for bad in ["unix://", "tcp://host", "tcp://:80", "tcp://h:99999", "tcp://h:x", "http://h:80", "/tmp/a.sock", "tcp://[::1]7001"] {
            #expect(throws: RemoteError.self, "\(bad)") { try RemoteEndpoint(url: bad) }
        }
    }
}

@Suite("Wire codec: logs")
struct LogCodecTests {
    static let line = LogLine(sequence: 7, incarnation: 2, time: .nanoseconds(1_500), stream: .stderr, text: "tab\there \"quoted\" é🔥", cutBytes: 3)

    @Test("a log tail and every log frame round-trip exactly")
    func roundTrip() throws {
        let tail = LogTail(lines: [Self.line], incarnation: 3, nextSequence: 8, evictedLines: 6, missedByFollowers: 4)
        #expect(try LogTail(wireBytes: tail.wireBytes) == tail)
        for entry in [ChildLogEntry.line(Self.line), .lagged(missed: 12)] {
            let frame = ServerFrame.log(subscription: 4, entry)
            #expect(try ServerFrame.decode(frame.wireBytes) { _ in nil } == frame)
            #expect(WireJSON.encode(entry) == entry.wireJSON)
        }
        #expect(ChildLogEntry.lagged(missed: 12).wireJSON == #"{"lagged":12}"#)
    }

    @Test("a log line missing a field is refused naming it")
    func missingField() {
        let error = #expect(throws: WireError.self) { try LogLine(wireBytes: Array(#"{"sequence":1,"incarnation":1,"time":0,"text":"x"}"#.utf8)) }
        #expect(error?.message.contains("stream") == true)
    }
}
