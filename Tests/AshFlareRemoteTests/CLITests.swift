import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

/// The `flare` executable end to end: a real process against a real socket.
@Suite("flare CLI", .timeLimit(.minutes(2)))
struct CLITests {
    @Test("flare tree prints every node, aligned, and --json prints the snapshot the server holds", arguments: [Transport.unix, .tcp] + (tlsIsBuilt ? [.tls] : []))
    func tree(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let env = transport != .unix ? ["ASHFLARE_TOKEN": controlToken] : [:]
        let connect = served.connectArguments
        let text = try await FlareProcess.run(["tree"] + connect, environment: env)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr.isEmpty)
        let lines = text.stdoutLines
        #expect(lines.count == 6)
        #expect(lines.first?.hasPrefix("shop ") == true)
        #expect(lines.contains { $0.hasPrefix("├─ acceptor ") && $0.contains("worker") && $0.contains("running") && $0.contains("#1") })
        #expect(lines.contains { $0.hasPrefix("│  └─ pool ") && $0.contains("transient") })
        #expect(lines.contains { $0.hasPrefix("└─ workers ") && $0.contains("templates: fetcher") })
        #expect(lines.contains { $0.contains("oneForOne, 0/3 in 5s") })

        let json = try await FlareProcess.run(["tree", "--json"] + connect, environment: env)
        #expect(json.status == 0)
        #expect(json.stdoutLines.count == 1)
        #expect(try WireJSON.decodeSnapshot(json.stdoutLines[0]) == served.tree.snapshot())

        let ascii = try await FlareProcess.run(["tree", "--ascii"] + connect, environment: env)
        #expect(ascii.stdout.utf8.allSatisfy { $0 < 0x80 })
        await served.stop()
    }

    @Test("kill, terminate, restart, delete and start act on the tree and exit 0")
    func control() async throws {
        let served = try await ServedTree.start(on: .unix)
        let url = "\(served.endpoint)"
        var events = served.tree.events().makeAsyncIterator()
        #expect(try await FlareProcess.run(["kill", "shop/db/pool", "--connect", url]).status == 0)
        #expect(await events.next(where: { $0.isStarted("shop/db/pool", incarnation: 2) }) != nil)
        #expect(try await FlareProcess.run(["terminate", "shop/db/pool", "--connect", url]).status == 0)
        #expect(try served.tree.whichChildren(of: "shop/db").last?.state == .stopped)
        #expect(try await FlareProcess.run(["restart", "shop/db/pool", "--connect", url]).status == 0)
        #expect(try served.tree.whichChildren(of: "shop/db").last?.state == .running)
        _ = try await FlareProcess.run(["terminate", "shop/db/pool", "--connect", url])
        #expect(try await FlareProcess.run(["delete", "shop/db/pool", "--connect", url]).status == 0)
        #expect(try served.tree.whichChildren(of: "shop/db").map(\.id) == ["conn"])
        let started = try await FlareProcess.run(["start", "shop/workers", "fetcher", "https://example.com", "250", "--connect", url])
        #expect(started.status == 0)
        #expect(started.stdout == "shop/workers/fetcher-1\n")
        // Arguments that look like options go after "--".
        let dashed = try await FlareProcess.run(["start", "shop/workers", "fetcher", "--connect", url, "--", "-x", "5"])
        #expect(dashed.stdout == "shop/workers/fetcher-2\n", "\(dashed.stderr)")
        await served.stop()
    }

    @Test("every failure is one stderr line with its documented exit code", .enabled(if: tlsIsBuilt, "runs over TLS"))
    func exitCodes() async throws {
        let served = try await ServedTree.start(on: .tls)
        let connect = served.connectArguments, ca = try #require(served.certificates).caFile
        let withToken = ["ASHFLARE_TOKEN": controlToken]
        let cases: [(arguments: [String], environment: [String: String], status: Int32, stderr: String)] = [
            (["kill", "shop/nope"] + connect, withToken, 1, "flare: childNotFound: no child at path 'shop/nope'"),
            (["delete", "shop/acceptor"] + connect, withToken, 1, "flare: childRunning:"),
            (["start", "shop/workers", "nope"] + connect, withToken, 1, "flare: unknownTemplate:"),
            (["kill"], withToken, 2, "flare: usage: Missing expected argument '<path>'"),
            (["kill", "shop//x"] + connect, withToken, 2, "flare: usage: The value 'shop//x' is invalid"),
            (["tree", "--connect", "http://x"], withToken, 2, "flare: invalidEndpoint:"),
            (["tree"], withToken, 2, "flare: usage: missing --connect URL"),
            (["frobnicate"], [:], 2, "flare: usage:"),
            (["tree", "--connect", "unix:///tmp/afr-missing-\(UInt32.random(in: 0...UInt32.max)).sock"], [:], 3,
             "flare: connectionFailed: could not connect to unix:///tmp/afr-missing-"),
            (["tree"] + connect, [:], 4, "flare: unauthorized: this server requires a token"),
            (["tree", "--token", "wrong"] + connect, [:], 4, "flare: unauthorized: the token is not valid"),
            (["kill", "shop/acceptor"] + connect, ["ASHFLARE_TOKEN": readToken], 4, "flare: permissionDenied:"),
        ]
        for (arguments, environment, status, stderr) in cases {
            let outcome = try await FlareProcess.run(arguments, environment: environment)
            #expect(outcome.status == status, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix(stderr), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.filter { $0 == "\n" }.count == 1, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
        }
        let viaEnvironment = try await FlareProcess.run(
            ["tree", "--tls-ca", ca], environment: ["ASHFLARE_CONNECT": "\(served.endpoint)", "ASHFLARE_TOKEN": controlToken])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")
        let help = try await FlareProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exit codes:"))
        #expect(served.tree.snapshot().root.children[0].incarnation == 1)
        await served.stop()
    }

    @Test("flare events follows the tree one event per line and exits 0 when the tree stops", arguments: [false, true])
    func events(json: Bool) async throws {
        let served = try await ServedTree.start(on: .unix)
        let running = try FlareProcess.Running(["events", "--connect", "\(served.endpoint)"] + (json ? ["--json"] : []))
        // Once the server has opened the subscription, every later event reaches the process.
        _ = await served.log.first { $0.message == "subscribed" }
        var lines = running.lines.makeAsyncIterator()
        try await served.tree.kill("shop/acceptor")
        var seen: [String] = []
        while let line = await lines.next() {
            seen.append(line)
            if line.contains("childStarted") { break }
        }
        #expect(seen.count == 4, "\(seen)")
        if json {
            let event = try WireJSON.decodeEvent(try #require(seen.first { $0.contains("killed") }))
            #expect(event.kind.isExited("shop/acceptor"))
        } else {
            #expect(seen.contains { $0.range(of: #"^#\d+ \+\d+\.\d{3}s childExited shop/acceptor incarnation=\d+ reason=killed execution=\d+$"#, options: .regularExpression) != nil })
        }
        await served.tree.shutdown()
        while let line = await lines.next() { seen.append(line) }
        #expect(seen.last?.contains("childExited") == true && seen.last?.contains("shop") == true)
        let (status, stderr) = try await running.finish()
        #expect(status == 0, "\(stderr)")
        await served.stopServer()
    }

    @Test("flare events exits 3 with a one-line message when the server goes away")
    func eventsConnectionLost() async throws {
        let served = try await ServedTree.start(on: .unix)
        let running = try FlareProcess.Running(["events", "--connect", "\(served.endpoint)"])
        _ = await served.log.first { $0.message == "subscribed" }
        var lines = running.lines.makeAsyncIterator()
        await served.stopServer()
        while await lines.next() != nil {}
        let (status, stderr) = try await running.finish()
        #expect(status == 3)
        #expect(stderr == "flare: serverStopping: the server is stopping\n")
        await served.tree.shutdown()
    }
}
