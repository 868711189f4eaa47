import AshFlare
@testable import AshFlareRemote
import AshFlareTestKit
import Foundation
import Logging
import Testing

/// The claims of docs/SECURITY.md that no other test checked: the documented defaults, exactly
/// which ops each permission allows, what is logged, and the per-connection limits.
@Suite("Security claims of docs/SECURITY.md", .timeLimit(.minutes(1)))
struct SecurityClaimsTests {
    /// The rows of the Limits table of docs/SECURITY.md that name a limit: name → default column.
    static func documentedLimits() throws -> [String: String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/SECURITY.md"), encoding: .utf8)
        let section = try #require(text.components(separatedBy: "\n## Limits\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        var rows: [String: String] = [:]
        for line in section.split(separator: "\n") where line.hasPrefix("| ") {
            let columns = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard columns.count >= 2, let name = columns[0].firstMatch(of: /\(`(\w+)`\)/)?.1 else { continue }
            rows[String(name)] = columns[1]
        }
        return rows
    }

    /// The first number of a table cell, commas removed: "65,536 bytes" → 65536.
    static func number(_ cell: String?) -> Int? {
        cell?.firstMatch(of: /[\d,]+/).flatMap { Int($0.0.replacingOccurrences(of: ",", with: "")) }
    }

    @Test("every default in the Limits table of docs/SECURITY.md is the code's default")
    func defaults() throws {
        let limits = SupervisorServer.Limits()
        let seconds: (Duration) -> Int = { Int($0.components.seconds) }
        let code: [String: Int] = [
            "maxFrameSize": limits.maxFrameSize, "maxConnections": limits.maxConnections,
            "maxPendingHandshakes": limits.maxPendingHandshakes, "handshakeTimeout": seconds(limits.handshakeTimeout),
            "idleTimeout": seconds(limits.idleTimeout), "maxEventBacklog": limits.maxEventBacklog,
            "maxRequestsInFlight": limits.maxRequestsInFlight, "maxSubscriptions": limits.maxSubscriptions,
            "lingerTimeout": seconds(ConnectionState.lingerTimeout),
        ]
        let documented = try Self.documentedLimits()
        #expect(Set(documented.keys) == Set(code.keys), "the table names exactly the limits")
        for (name, value) in code {
            #expect(Self.number(documented[name]) == value, "\(name): the document says '\(documented[name] ?? "nothing")', the code \(value)")
        }
        for (name, cell) in documented where ["handshakeTimeout", "idleTimeout", "lingerTimeout"].contains(name) {
            #expect(cell.contains(" s "), "\(name) is documented in seconds: \(cell)")
        }
        let configuration = SupervisorServer.Configuration(listeners: [.unixSocket(path: "/tmp/x.sock")])
        #expect(configuration.tokens.isEmpty)
        #expect(configuration.readOnly == false)
        #expect(configuration.unixSocketPermission == .control)
        #expect(configuration.unixSocketRequiresToken == false)
        #expect(RemoteSupervisor.Configuration().maxFrameSize == 256 * 1024 * 1024)
        #expect(RemoteEndpoint.maxUnixSocketPathBytes == 107)
    }

    static let readOps = [
        #"{"id":2,"op":"ping"}"#, #"{"id":3,"op":"snapshot"}"#, #"{"id":4,"op":"subscribe"}"#,
        #"{"id":5,"op":"unsubscribe","subscription":4}"#, #"{"id":6,"op":"whichChildren","path":"shop/db"}"#,
        #"{"id":7,"op":"countChildren","path":"shop"}"#,
    ]
    static let controlOps = [
        #"{"id":8,"op":"kill","path":"shop/acceptor"}"#, #"{"id":9,"op":"terminate","path":"shop/acceptor"}"#,
        #"{"id":10,"op":"restart","path":"shop/acceptor"}"#, #"{"id":11,"op":"delete","path":"shop/acceptor"}"#,
        #"{"id":12,"op":"startChild","supervisor":"shop/workers","template":"fetcher","arguments":["u"]}"#,
        #"{"id":13,"op":"shutdown"}"#,
    ]

    @Test("read allows exactly ping, snapshot, subscribe, unsubscribe, whichChildren and countChildren; every denial is logged")
    func readOpsExactly() async throws {
        let served = try await ServedTree.start(on: .tcp)
        let before = served.tree.snapshot()
        let raw = try await served.greetedRaw(token: readToken)
        for (index, frame) in Self.readOps.enumerated() {
            try await raw.send(frame + "\n")
            let id = index + 2
            var reply = try #require(try await raw.readLine())
            while reply.hasPrefix(#"{"subscription""#) { reply = try #require(try await raw.readLine()) }
            #expect(reply.hasPrefix(#"{"id":\#(id),"result""#), "\(frame) -> \(reply)")
        }
        for (index, frame) in Self.controlOps.enumerated() {
            try await raw.send(frame + "\n")
            let reply = try #require(try await raw.readLine())
            #expect(reply.hasPrefix(#"{"id":\#(index + 8),"error":{"code":"permissionDenied""#), "\(frame) -> \(reply)")
        }
        await raw.close()
        #expect(served.tree.snapshot() == before)
        let denials = served.log.records.filter { $0.message == "permission denied" }
        #expect(denials.map { $0.metadata["remote.op"] } == ["kill", "terminate", "restart", "delete", "startChild", "shutdown"])
        #expect(denials.allSatisfy { $0.level == .info && $0.metadata["remote.peer"]?.contains("127.0.0.1") == true })
        await served.stop()
    }

    @Test("refusals, control requests and closings for cause are logged at info with the peer; the token never is")
    func logging() async throws {
        let served = try await ServedTree.start(on: .tcp) { $0.limits.maxConnections = 1 }
        let wrong = try await served.raw()
        try await wrong.send(#"{"id":1,"op":"hello","version":1,"token":"not-the-token"}"# + "\n")
        _ = try await wrong.readToEnd()
        let refused = await served.log.closed(because: "unauthorized")
        #expect(refused.level == .info)
        #expect(refused.metadata["remote.peer"]?.contains("127.0.0.1") == true)
        await wrong.close()
        // Its slot is free once the server has counted it out (right after it logs the close).
        while served.server.connectionCount > 0 { await Task.yield() }

        let client = served.client()
        try await client.kill("shop/acceptor")
        let audit = try #require(served.log.records.first { $0.message == "control request" })
        #expect(audit.level == .info && audit.metadata["remote.op"] == "kill" && audit.metadata["remote.path"] == "shop/acceptor")

        // The client holds the only slot: the next hello is refused, and that is logged too.
        let extra = try await served.raw()
        try await extra.send(#"{"id":1,"op":"hello","version":2,"token":"\#(controlToken)"}"# + "\n")
        #expect(try await extra.readToEnd().first?.contains("tooManyConnections") == true)
        let full = await served.log.closed(because: "tooManyConnections")
        #expect(full.level == .info)

        for record in served.log.records {
            #expect(!record.message.contains(controlToken) && !record.metadata.values.contains { $0.contains(controlToken) })
            #expect(!record.metadata.values.contains { $0.contains("not-the-token") })
        }
        await client.close()
        await served.stop()
    }

    @Test("a connection may hold 8 subscriptions; the 9th gets tooManySubscriptions and the connection stays open")
    func subscriptionLimit() async throws {
        let served = try await ServedTree.start(on: .unix)
        let raw = try await served.greetedRaw()
        for id in 1...9 {
            try await raw.send(#"{"id":\#(id),"op":"subscribe"}"# + "\n")
            let reply = try #require(try await raw.readLine())
            if id <= 8 {
                #expect(reply.hasPrefix(#"{"id":\#(id),"result":{"snapshot""#))
            } else {
                #expect(reply.hasPrefix(#"{"id":9,"error":{"code":"tooManySubscriptions""#), "\(reply)")
            }
        }
        try await raw.send(#"{"id":10,"op":"ping"}"# + "\n")
        #expect(try await raw.readLine() == #"{"id":10,"result":{}}"#)
        await raw.close()
        await served.stop()
    }

    @Test("JSON nested deeper than 16 levels is refused with invalidJSON; 16 levels are read")
    func nestingLimit() async throws {
        let served = try await ServedTree.start(on: .unix)
        let raw = try await served.greetedRaw()
        // The request object is level 1; "x" holds 15 more levels (16 in all), then 16 more (17).
        let fifteen = String(repeating: "[", count: 15) + String(repeating: "]", count: 15)
        try await raw.send(#"{"id":1,"op":"ping","x":\#(fifteen)}"# + "\n")
        #expect(try await raw.readLine() == #"{"id":1,"result":{}}"#)
        let sixteen = String(repeating: "[", count: 16) + String(repeating: "]", count: 16)
        try await raw.send(#"{"id":2,"op":"ping","x":\#(sixteen)}"# + "\n")
        let reply = try #require(try await raw.readLine())
        #expect(reply.contains(#""code":"invalidJSON""#) && reply.contains("nesting"), "\(reply)")
        await raw.close()
        await served.stop()
    }
}
