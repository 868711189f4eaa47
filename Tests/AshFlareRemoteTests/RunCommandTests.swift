import Foundation
import NIOCore
import NIOPosix
import Testing

/// `flare run FILE` end to end: the real binary, real processes.
@Suite("flare run", .timeLimit(.minutes(2)))
struct RunCommandTests {
    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flare-run-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a bad tree file is one stderr line naming file, line and field, exit code 2, before anything starts")
    func badFile() async throws {
        let path = try Self.write("supervisor: s\nchildren:\n  - id: a\n    command: [/bin/true]\n    restart: sometimes\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try await FlareProcess.run(["run", path, "--headless"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "flare: \(path):5: children[0].restart: expected permanent, transient, temporary (was 'sometimes')\n")
        #expect(outcome.stdout.isEmpty)
    }

    @Test("--once starts the tree, prints one frame with every process running, and stops it")
    func once() async throws {
        let path = try Self.write("""
            supervisor: app
            children:
              - id: sleeper
                command: [/bin/sleep, "1000"]
              - id: talker
                command: [sh, -c, "echo hello; exec sleep 1000"]
                ready: { line: hello, timeout: 10s }
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try await FlareProcess.run(["run", path, "--once", "--ascii", "--no-color", "--width", "100", "--height", "20"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = outcome.stdout.split(separator: "\n")
        for name in ["app", "sleeper", "talker"] {
            #expect(rows.contains { $0.contains(" \(name) ") && $0.contains("running") }, "\(outcome.stdout)")
        }
    }

    @Test("--metrics serves Prometheus metrics over real HTTP: active children, then a process child's restart and exit status")
    func metrics() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("flare-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // The crasher waits for GO, exits 3 once, and runs on in its next incarnation.
        let path = try Self.write("""
            supervisor: app
            children:
              - id: sleeper
                command: [/bin/sleep, "1000"]
              - id: crasher
                command: [sh, -c, 'if [ -e "$DIR/mark" ]; then exec sleep 1000; fi; while [ ! -e "$DIR/go" ]; do sleep 0.01; done; : > "$DIR/mark"; exit 3']
                env: { DIR: "\(scratch)" }
                backoff: none
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let running = try FlareProcess.Running(["run", path, "--headless", "--metrics", "tcp://127.0.0.1:0"], streamingStderr: true)
        var errors = try #require(running.errorLines).makeAsyncIterator()
        var port: Int?
        while port == nil, let line = await errors.next() {
            if let range = line.range(of: "run: Prometheus metrics at http://127.0.0.1:") {
                port = Int(line[range.upperBound...].prefix { $0.isNumber })
            }
        }
        let address = try #require(port)
        var lines = running.lines.makeAsyncIterator()
        _ = await lines.next()  // the tree's first line: it has started, and the endpoint listens

        let before = try await Self.get("/metrics", port: address)
        #expect(before.hasPrefix("HTTP/1.1 200 OK"), "\(before)")
        #expect(Self.sample(#"ashflare_active_workers{tree="app"}"#, in: before) == 2, "\(before)")
        #expect(Self.sample(#"ashflare_restarts_total{tree="app",supervisor="app"}"#, in: before) ?? 0 == 0)

        _ = FileManager.default.createFile(atPath: scratch + "/go", contents: nil)
        while let line = await lines.next(), !line.contains("childStarted app/crasher incarnation=2") {}
        let after = try await Self.get("/metrics", port: address)
        #expect(Self.sample(#"ashflare_restarts_total{tree="app",supervisor="app"}"#, in: after) == 1, "\(after)")
        #expect(Self.sample(#"ashflare_child_exits_total{tree="app",reason="exit_status"}"#, in: after) == 1, "\(after)")
        #expect(Self.sample(#"ashflare_active_workers{tree="app"}"#, in: after) == 2, "\(after)")

        running.process.terminate()
        #expect(try await running.finish().status == 0)
    }

    @Test("a bad --metrics address is a usage error naming it, before anything starts")
    func badMetricsAddress() async throws {
        let path = try Self.write("supervisor: s\nchildren:\n  - id: a\n    command: [/bin/sleep, '1000']\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try await FlareProcess.run(["run", path, "--headless", "--metrics", "http://127.0.0.1:9464"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("--metrics: metrics address 'http://127.0.0.1:9464' must look like tcp://127.0.0.1:9464"), "\(outcome.stderr)")
    }

    /// One real HTTP/1.1 GET over TCP to 127.0.0.1; the whole response (the server closes it).
    static func get(_ path: String, port: Int) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"))
            var response = ""
            for try await chunk in inbound { response += String(buffer: chunk) }
            return response
        }
    }

    /// The value of the sample line that starts with `prefix` (name and labels).
    static func sample(_ prefix: String, in response: String) -> Double? {
        response.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }
}
