import AshFlare
import AshFlareRemote
import AshFlareDashboard
import AshFlareTestKit
import Foundation
import Testing

/// The `flare` binary against hostile command lines: each gets one clear stderr line, the exit
/// code docs/CLI.md documents, and never a crash or a stack trace.
@Suite("flare CLI: hostile input", .timeLimit(.minutes(2)))
struct CLIHostileInputTests {
    /// One row of the matrix: arguments, environment, the exit code and the start of the stderr line.
    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var environment: [String: String] = [:]
        var status: Int32
        var stderr: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let longPath = "unix:///tmp/" + String(repeating: "a", count: 200) + ".sock"

    static let offline: [Case] = [
        // Unknown flags and bad values.
        Case(arguments: ["tree", "--bogus"], status: 2, stderr: "flare: usage: Unknown option '--bogus'"),
        Case(arguments: ["--bogus"], status: 2, stderr: "flare: usage:"),
        Case(arguments: ["kill", "shop/x", "--connect", "unix:///tmp/x.sock", "--force"], status: 2, stderr: "flare: usage: Unknown option '--force'"),
        Case(arguments: ["top", "--refresh", "0", "--connect", "unix:///tmp/x.sock"], status: 2, stderr: "flare: usage: --refresh must be within"),
        Case(arguments: ["top", "--width", "-3", "--once", "--connect", "unix:///tmp/x.sock"], status: 2, stderr: "flare: usage:"),
        Case(arguments: ["kill", "/shop", "--connect", "unix:///tmp/x.sock"], status: 2, stderr: "flare: usage: The value '/shop' is invalid"),
        Case(arguments: ["start", "shop/workers"], status: 2, stderr: "flare: usage: Missing expected argument '<template>'"),
        // Malformed URLs.
        Case(arguments: ["tree", "--connect", "tcp://"], status: 2, stderr: "flare: invalidEndpoint: 'tcp://' has no port"),
        Case(arguments: ["tree", "--connect", "unix://"], status: 2, stderr: "flare: invalidEndpoint: 'unix://' has no socket path"),
        Case(arguments: ["tree", "--connect", "http://x"], status: 2, stderr: "flare: invalidEndpoint: 'http://x' is not a tls://HOST:PORT, tcp://HOST:PORT"),
        Case(arguments: ["tree", "--connect", "tcp://127.0.0.1"], status: 2, stderr: "flare: invalidEndpoint: 'tcp://127.0.0.1' has no port"),
        Case(arguments: ["tree", "--connect", "tcp://127.0.0.1:99999"], status: 2, stderr: "flare: invalidEndpoint: 'tcp://127.0.0.1:99999' has an invalid port"),
        Case(arguments: ["tree", "--connect", "tcp://127.0.0.1:http"], status: 2, stderr: "flare: invalidEndpoint:"),
        Case(arguments: ["tree", "--connect", "tcp://:7001"], status: 2, stderr: "flare: invalidEndpoint: 'tcp://:7001' has no host"),
        Case(arguments: ["tree", "--connect", "tcp://[::1"], status: 2, stderr: "flare: invalidEndpoint:"),
        Case(arguments: ["tree", "--connect", ""], status: 2, stderr: "flare: invalidEndpoint:"),
        Case(arguments: ["tree", "--connect", longPath], status: 2, stderr: "flare: invalidEndpoint: the socket path of"),
        Case(arguments: ["top", "--connect", "tcp://"], status: 2, stderr: "flare: invalidEndpoint:"),
        Case(arguments: ["events"], environment: ["ASHFLARE_CONNECT": "ftp://x"], status: 2, stderr: "flare: invalidEndpoint:"),
        // Unreachable nodes and paths that do not exist.
        Case(arguments: ["tree", "--connect", "tcp://127.0.0.1:1", "--insecure-plaintext"], status: 3, stderr: "flare: connectionFailed: could not connect to tcp://127.0.0.1:1"),
        Case(arguments: ["events", "--connect", "tcp://127.0.0.1:1", "--insecure-plaintext"], status: 3, stderr: "flare: connectionFailed:"),
        Case(arguments: ["tree", "--connect", "tls://127.0.0.1:1"], status: 3, stderr: "flare: connectionFailed: could not connect to tls://127.0.0.1:1"),
        Case(arguments: ["tree", "--connect", "tcp://127.0.0.1:1"], status: 2, stderr: "flare: invalidConfiguration: tcp://127.0.0.1:1 is plain TCP"),
        Case(arguments: ["tree", "--connect", "tcp://0.0.0.0:1", "--insecure-plaintext", "--token", "t"], status: 2, stderr: "flare: invalidConfiguration: refusing to send a token over plain TCP to tcp://0.0.0.0:1"),
        Case(arguments: ["tree", "--connect", "tls://127.0.0.1:1", "--tls-cert", "/tmp/c.pem"], status: 2, stderr: "flare: usage: --tls-cert and --tls-key go together"),
        Case(arguments: ["kill", "shop/x", "--connect", "unix:///nonexistent-dir/x.sock"], status: 3, stderr: "flare: connectionFailed:"),
        Case(arguments: ["tree", "--connect", "unix:///tmp"], status: 3, stderr: "flare: connectionFailed: could not connect to unix:///tmp"),
        Case(arguments: ["tree", "--connect", "unix:///etc/hostname"], status: 3, stderr: "flare: connectionFailed:"),
    ] + (tlsIsBuilt ? [
        // Only a build with TLS loads CA files.
        Case(arguments: ["tree", "--connect", "tls://127.0.0.1:1", "--tls-ca", "/nonexistent/ca.pem"], status: 2, stderr: "flare: invalidConfiguration: the TLS CA file '/nonexistent/ca.pem' could not be loaded"),
    ] : [])

    @Test("malformed flags, URLs and unreachable nodes: one stderr line and the documented exit code", arguments: offline)
    func offlineCase(_ row: Case) async throws {
        let outcome = try await FlareProcess.run(row.arguments, environment: row.environment)
        Self.expectOneLine(outcome, row)
    }

    @Test("wrong tokens and paths that do not exist, against a real server")
    func againstServer() async throws {
        let served = try await ServedTree.start(on: .tcp)
        let tcp = "\(served.endpoint)", plain = "--insecure-plaintext"
        let rows: [Case] = [
            Case(arguments: ["tree", "--connect", tcp, plain], status: 4, stderr: "flare: unauthorized: this server requires a token"),
            Case(arguments: ["tree", "--connect", tcp, plain], environment: ["ASHFLARE_TOKEN": ""], status: 4, stderr: "flare: unauthorized: this server requires a token"),
            Case(arguments: ["tree", "--connect", tcp, plain, "--token", "x\"y\\z\n\t"], status: 4, stderr: "flare: unauthorized: the token is not valid"),
            Case(arguments: ["tree", "--connect", tcp, plain, "--token", "日本語🔑"], status: 4, stderr: "flare: unauthorized: the token is not valid"),
            Case(arguments: ["tree", "--connect", tcp, plain, "--token", String(controlToken.dropLast())], status: 4, stderr: "flare: unauthorized:"),
            Case(arguments: ["tree", "--connect", tcp, plain, "--token", String(repeating: "t", count: 100_000)], status: 5, stderr: "flare: frameTooLarge:"),
            Case(arguments: ["restart", "shop/db", "--connect", tcp, plain, "--token", readToken], status: 4, stderr: "flare: permissionDenied:"),
            Case(arguments: ["kill", "nope/x", "--connect", tcp, plain], environment: ["ASHFLARE_TOKEN": controlToken], status: 1, stderr: "flare: childNotFound: no child at path 'nope'"),
            Case(arguments: ["kill", "shop/日本/🔥", "--connect", tcp, plain], environment: ["ASHFLARE_TOKEN": controlToken], status: 1, stderr: "flare: childNotFound: no child at path 'shop/日本'"),
            Case(arguments: ["start", "shop/acceptor", "fetcher", "--connect", tcp, plain], environment: ["ASHFLARE_TOKEN": controlToken], status: 1, stderr: "flare: notASupervisor:"),
            Case(arguments: ["start", "shop/workers", "fetcher", "--connect", tcp, plain], environment: ["ASHFLARE_TOKEN": controlToken], status: 1, stderr: "flare: badArguments:"),
        ]
        for row in rows {
            Self.expectOneLine(try await FlareProcess.run(row.arguments, environment: row.environment), row)
        }
        #expect(served.tree.snapshot().root.children.allSatisfy { $0.incarnation == 1 && $0.restartCount == 0 })
        await served.stop()
    }

    @Test("arguments that are not UTF-8 are a usage error, not a repaired path that names something else")
    func nonUTF8Arguments() async throws {
        let flare = try FlareProcess.executable().path
        for script in [
            #""$0" kill "$(printf 'shop/\377\376')" --connect unix:///tmp/x.sock"#,
            #""$0" tree --connect "$(printf 'unix:///tmp/\377.sock')""#,
            #""$0" tree --token "$(printf '\300\200')" --connect tcp://127.0.0.1:1 --insecure-plaintext"#,
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, flare]
            let stdout = Pipe(), stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            process.waitUntilExit()
            let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            Self.expectOneLine(
                FlareProcess.Outcome(status: process.terminationStatus, stdout: out, stderr: err),
                Case(arguments: [script], status: 2, stderr: "flare: usage: argument"))
            #expect(err.contains("is not valid UTF-8"), "\(err)")
        }
    }

    @Test("escape sequences and bidi overrides in names and exit reasons are printed as '?'; wide names line up")
    func terminalInjection() async throws {
        let hostile = "evil\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}txt"
        let spec = SupervisorSpec("shop") {
            // Fails once, then waits out a back-off the manual clock never ends: its last exit stays.
            ChildSpec.worker(hostile, backoff: .exponential(initial: .seconds(60), maximum: .seconds(60), jitter: 0)) {
                ThrowingWorker(message: "boom \u{1B}[5m\u{2066}")
            }
            ChildSpec.worker("工作者-😀", backoff: .none) { IdleWorker() }
            ChildSpec.worker("plain", backoff: .none) { IdleWorker() }
        }
        let served = try await ServedTree.start(spec, on: .unix)
        let observation = served.tree.observe()
        if observation.snapshot.root.children[0].lastExit == nil {
            var events = observation.events.makeAsyncIterator()
            _ = await events.next { if case .childExited = $0 { true } else { false } }
        }
        let tree = try await FlareProcess.run(["tree", "--connect", "\(served.endpoint)"])
        #expect(tree.status == 0, "\(tree.stderr)")
        let unsafe: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}", "\u{2066}"]
        #expect(!tree.stdout.unicodeScalars.contains { unsafe.contains($0) }, "\(tree.stdout.debugDescription)")
        #expect(tree.stdout.contains("evil?]0;pwned??[2J?31m?txt"), "\(tree.stdout)")
        #expect(tree.stdout.contains("last exit: error(boom ?[5m?)") || tree.stdout.contains("boom ?[5m?"), "\(tree.stdout)")
        // Columns line up in terminal cells: the type column starts at the same cell on every line.
        let lines = tree.stdoutLines.filter { $0.contains("worker") }
        let starts = lines.map { line in TextWidth.cells(String(line[..<line.range(of: "worker")!.lowerBound])) }
        #expect(Set(starts).count == 1, "\(lines)")

        let kill = try await FlareProcess.run(["kill", "shop/\u{1B}[2Jx", "--connect", "\(served.endpoint)"])
        #expect(kill.status == 1)
        #expect(kill.stderr == "flare: childNotFound: no child at path 'shop/?[2Jx'\n", "\(kill.stderr.debugDescription)")
        await served.stop()
    }

    static func expectOneLine(_ outcome: FlareProcess.Outcome, _ row: Case, sourceLocation: SourceLocation = #_sourceLocation) {
        let label = row.testDescription.prefix(120)
        #expect(outcome.status == row.status, "\(label): exit \(outcome.status): \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.hasPrefix(row.stderr), "\(label): \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.filter { $0 == "\n" }.count == 1, "\(label): \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stdout.isEmpty, "\(label): \(outcome.stdout)", sourceLocation: sourceLocation)
        for crash in ["Fatal error", "Stack dump", "Backtrace", "Current stack trace", "0x0000"] {
            #expect(!outcome.stderr.contains(crash), "\(label): \(outcome.stderr)", sourceLocation: sourceLocation)
        }
    }
}

/// Fails at once with `message`.
struct ThrowingWorker: Worker {
    let message: String

    func run() async throws {
        throw WorkerError(message)
    }
}
