import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

/// `flare logs`, the real executable against a real socket.
@Suite("flare logs", .timeLimit(.minutes(2)))
struct CLILogsTests {
    @Test("flare logs prints the current incarnation's lines; --previous the crashed one's; --all and --lines select")
    func tail() async throws {
        let tap = LogTap()
        let served = try await ServedTree.start(.talking(tap), on: .unix)
        let url = "\(served.endpoint)"
        var events = served.tree.events().makeAsyncIterator()
        tap.write("connecting")
        tap.write("FATAL: \u{1B}]0;pwned\u{07}too many connections", stream: .stderr)
        try await served.tree.kill("shop/talker")
        _ = await events.next(where: { $0.isStarted("shop/talker", incarnation: 2) })
        tap.write("connected")

        let current = try await FlareProcess.run(["logs", "shop/talker", "--connect", url])
        #expect(current.status == 0, "\(current.stderr)")
        #expect(current.stdout == "connected\n")
        let previous = try await FlareProcess.run(["logs", "shop/talker", "--previous", "--connect", url])
        // Control characters from the child are made safe for the terminal.
        #expect(previous.stdout == "connecting\nFATAL: ?]0;pwned?too many connections\n")
        let all = try await FlareProcess.run(["logs", "shop/talker", "--all", "--lines", "2", "--connect", url])
        #expect(all.stdoutLines == ["FATAL: ?]0;pwned?too many connections", "connected"])
        let json = try await FlareProcess.run(["logs", "shop/talker", "--json", "--connect", url])
        #expect(json.stdout.hasPrefix(#"{"sequence":3,"incarnation":2,"#))
        await served.stop()
    }

    @Test("flare logs --follow prints new lines across a restart and exits 0 when the worker is deleted")
    func follow() async throws {
        let tap = LogTap()
        let served = try await ServedTree.start(.talking(tap), on: .unix)
        tap.write("before")
        let running = try FlareProcess.Running(["logs", "shop/talker", "--follow", "--connect", "\(served.endpoint)"])
        _ = await served.log.first { $0.message == "following log" }
        var lines = running.lines.makeAsyncIterator()
        #expect(await lines.next() == "before")
        var events = served.tree.events().makeAsyncIterator()
        try await served.tree.kill("shop/talker")
        _ = await events.next(where: { $0.isStarted("shop/talker", incarnation: 2) })
        tap.write("after")
        #expect(await lines.next() == "after")
        try await served.tree.terminate("shop/talker")
        try await served.tree.delete("shop/talker")
        #expect(await lines.next() == nil)
        let (status, stderr) = try await running.finish()
        #expect(status == 0, "\(stderr)")
        await served.stop()
    }

    @Test("bad paths and bad options get one stderr line and their documented exit codes")
    func failures() async throws {
        let served = try await ServedTree.start(.talking(LogTap()), on: .unix)
        let url = "\(served.endpoint)"
        let unknown = try await FlareProcess.run(["logs", "shop/nope", "--connect", url])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "flare: childNotFound: no child at path 'shop/nope'\n")
        let supervisor = try await FlareProcess.run(["logs", "shop/db", "--connect", url])
        #expect(supervisor.status == 1)
        #expect(supervisor.stderr.hasPrefix("flare: notAWorker: 'shop/db' is a supervisor"))
        let both = try await FlareProcess.run(["logs", "shop/talker", "--follow", "--previous", "--connect", url])
        #expect(both.status == 2)
        #expect(both.stderr.contains("--follow cannot be combined with --previous or --all"))
        await served.stop()
    }
}
