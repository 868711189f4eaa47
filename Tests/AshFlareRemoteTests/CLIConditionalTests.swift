import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

/// `flare kill|terminate|restart|delete PATH --if-execution N`, the real binary against a real socket.
@Suite("flare --if-execution", .timeLimit(.minutes(2)))
struct CLIConditionalTests {
    func execution(_ tree: SupervisorHandle, _ path: ChildPath) throws -> UInt64 {
        try #require(tree.snapshot().node(at: path)).execution
    }

    @Test("the execution flare tree shows makes kill act; a stale one exits 1 with staleExecution and changes nothing",
          arguments: Transport.allCases)
    func killIfExecution(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let env = transport == .tcp ? ["ASHFLARE_TOKEN": controlToken] : [:]
        let connect = served.connectArguments
        let seen = try execution(served.tree, "shop/db/pool")
        let tree = try await FlareProcess.run(["tree"] + connect, environment: env)
        #expect(tree.stdoutLines.contains { $0.hasPrefix("│  └─ pool ") && $0.contains("exec \(seen) ") }, "\(tree.stdout)")

        var events = served.tree.events().makeAsyncIterator()
        let killed = try await FlareProcess.run(["kill", "shop/db/pool", "--if-execution", "\(seen)"] + connect, environment: env)
        #expect(killed.status == 0, "\(killed.stderr)")
        #expect(await events.next(where: { $0.isStarted("shop/db/pool", incarnation: 2) }) != nil)
        let now = try execution(served.tree, "shop/db/pool")

        for command in ["kill", "terminate"] {
            let stale = try await FlareProcess.run([command, "shop/db/pool", "--if-execution", "\(seen)"] + connect, environment: env)
            #expect(stale.status == 1)
            #expect(stale.stderr == "flare: staleExecution: 'shop/db/pool' is execution \(now) (incarnation 2) now, not \(seen): it was restarted since\n")
        }
        let node = try #require(served.tree.snapshot().node(at: "shop/db/pool"))
        #expect(node.state == .running && node.execution == now)
        await served.stop()
    }

    @Test("terminate, restart and delete take --if-execution too")
    func otherCommands() async throws {
        let served = try await ServedTree.start(on: .unix)
        let connect = served.connectArguments
        let first = try execution(served.tree, "shop/db/pool")
        #expect(try await FlareProcess.run(["terminate", "shop/db/pool", "--if-execution", "\(first)"] + connect).status == 0)
        #expect(try await FlareProcess.run(["restart", "shop/db/pool", "--if-execution", "\(first + 50)"] + connect).status == 1)
        #expect(served.tree.snapshot().node(at: "shop/db/pool")?.state == .stopped)
        #expect(try await FlareProcess.run(["restart", "shop/db/pool", "--if-execution", "\(first)"] + connect).status == 0)
        let second = try execution(served.tree, "shop/db/pool")
        #expect(try await FlareProcess.run(["terminate", "shop/db/pool", "--if-execution", "\(second)"] + connect).status == 0)
        #expect(try await FlareProcess.run(["delete", "shop/db/pool", "--if-execution", "\(first)"] + connect).status == 1)
        #expect(try await FlareProcess.run(["delete", "shop/db/pool", "--if-execution", "\(second)"] + connect).status == 0)
        #expect(try served.tree.whichChildren(of: "shop/db").map(\.id) == ["conn"])
        await served.stop()
    }

    @Test("a value that is not a non-negative integer is a usage error (exit 2); nothing is sent",
          arguments: ["-1", "1.5", "abc", "18446744073709551616", ""])
    func badValue(_ value: String) async throws {
        let served = try await ServedTree.start(on: .unix)
        let before = served.tree.snapshot().root
        let outcome = try await FlareProcess.run(["kill", "shop/db/pool", "--if-execution", value, "--connect", "\(served.endpoint)"])
        #expect(outcome.status == 2, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("flare: usage:"), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "one line: \(outcome.stderr)")
        #expect(served.tree.snapshot().root == before)
        await served.stop()
    }
}
