import ArgumentParser
import AshFlare
import AshFlareTestKit
import AshFlareRemote
import AshFlareRemoteTLS
import Foundation

/// `flare-fuzz`: serves a real tree on a Unix socket, loopback TCP and loopback TLS (a CA made at
/// start-up), throws hostile input at it
/// from several threads while well-behaved clients keep working, and checks that the server stays
/// up, its memory stays bounded and the tree is untouched. Exits non-zero on any violation.
@main
struct FlareFuzz: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flare-fuzz",
        abstract: "Fuzz the remote protocol server on loopback and check that it and its tree survive unharmed.")

    @Option(help: "How long to fuzz, in seconds.") var seconds: Double = 10
    @Option(help: "Stop after this many hostile inputs (whichever comes first).") var count: Int = 10_000_000
    @Option(help: "Threads sending hostile input (besides the flood/idle thread).") var threads: Int = 3
    @Option(help: "Seed of the random mutations (default: from the clock; printed).") var seed: UInt64?
    @Option(help: "Send only the categories whose name contains this text (default: all).") var only: String?
    @Flag(help: "No connection floods or idle connections.") var noPressure = false
    @Flag(help: "The well-behaved clients use the tree in-process (isolates the engine's memory figures).") var localClients = false
    @Option(help: "Allowed RSS growth from warm-up to end, in MiB.") var memoryBound: Int = 64

    func run() async throws {
        let seed = seed ?? UInt64(Date().timeIntervalSince1970 * 1000)
        print("flare-fuzz: seed \(seed), \(seconds) s or \(count) inputs, \(threads) threads")
        let report = FuzzReport()
        let controlToken = Self.randomToken(), readToken = Self.randomToken()
        let socketPath = "/tmp/flare-fuzz-\(getpid()).sock"
        var limits = SupervisorServer.Limits()
        limits.handshakeTimeout = .seconds(1)
        limits.idleTimeout = .seconds(2)
        let certificates = try FuzzCertificates()
        defer { certificates.remove() }
        let tls = try TLSServerSecurity(certificateChainFile: certificates.certificateFile, privateKeyFile: certificates.keyFile)
        let tree = try await SupervisorHandle.start(FuzzTree.spec(), options: SupervisionOptions(eventBufferSize: 1 << 16))
        let server = try await SupervisorServer.bind(serving: tree, configuration: .init(
            listeners: [.unixSocket(path: socketPath), .tcp(host: "127.0.0.1", port: 0), .tls(host: "127.0.0.1", port: 0)],
            tokens: [AccessToken(controlToken, permission: .control), AccessToken(readToken, permission: .read)],
            unixSocketPermission: .read,
            limits: limits,
            tls: tls,
            // The fuzzer's raw TCP attackers speak plain text, on loopback (the TLS port gets only garbage).
            insecurePlaintext: true))
        let serving = Task { try await server.run() }
        let tcpPort = try require(server.endpoints[1].tcpAddress, "TCP port").port
        let tlsPort = try require(server.endpoints[2].tcpAddress, "TLS port").port
        let setup = FuzzSetup(
            unix: .unix(path: socketPath), tcp: .tcp(port: tcpPort), tls: .tcp(port: tlsPort), readToken: readToken, controlToken: controlToken,
            maxFrameSize: limits.maxFrameSize, maxConnections: limits.maxConnections,
            maxPendingHandshakes: limits.maxPendingHandshakes, handshakeTimeout: 1, idleTimeout: 2)
        print("flare-fuzz: serving \(setup.unix), \(setup.tcp) and \(server.endpoints[2]); limits: \(limits.maxFrameSize)-byte frames, \(limits.maxConnections) connections, handshake 1 s, idle 2 s")

        let initial = tree.observe()
        let progress = Locked(WatchProgress(lastSequence: initial.snapshot.sequence))
        let watcher = Task { await Self.watch(initial.events, progress: progress, report: report) }
        var good = [
            GoodClient(name: "tcp client", client: Self.client(server.endpoints[1], token: controlToken), victim: FuzzTree.victim("tcp"), report: report),
            GoodClient(name: "unix client", client: Self.client(server.endpoints[0], token: controlToken), victim: FuzzTree.victim("unix"), report: report),
            GoodClient(
                name: "tls client", client: Self.client(server.endpoints[2], token: controlToken, caFile: certificates.caFile),
                victim: FuzzTree.victim("tls"), report: report),
        ]
        if localClients { for index in good.indices { good[index].local = tree } }
        // The good clients connect before the first flood (later they keep their connections).
        if !localClients { for client in good { try await client.client.connect() } }
        let goodConnections = localClients ? 0 : good.count
        let begin = ContinuousClock.now
        let deadline = begin.advanced(by: .milliseconds(Int64(seconds * 1000)))
        let inputLimit = count
        let categories = AttackCategory.allCases.filter { only.map($0.rawValue.contains) ?? true }
        guard !categories.isEmpty else { throw ValidationError("no category contains '\(only ?? "")'") }
        let stop: @Sendable () -> Bool = { ContinuousClock.now >= deadline || report.inputs >= inputLimit }
        var memory = MemoryFigures()

        let kills = await withTaskGroup(of: (String, Int).self) { group in
            for client in good { group.addTask { (client.name, await client.run(until: deadline)) } }
            for index in 0..<threads {
                group.addTask {
                    await Self.onThread {
                        Self.attack(setup: setup, seed: seed &+ UInt64(index), categories: categories, report: report, stop: stop)
                    }
                    return ("", 0)
                }
            }
            if !noPressure { group.addTask {
                await Self.onThread {
                    let pressure = Pressure(setup: setup, report: report)
                    // A flood, then two rounds of idle connections (about 2 s each), and again.
                    var round = 0
                    while !stop() {
                        switch round % 4 {
                        case 0: pressure.flood()
                        case 1: pressure.lockout()
                        default: pressure.idle()
                        }
                        round += 1
                    }
                }
                return ("", 0)
            } }
            try? await Task.sleep(until: begin.advanced(by: .milliseconds(Int64(seconds * 250))))
            memory.warmUpKB = MemoryFigures.read("VmRSS")
            var samples: [Int] = []
            var tenths: [Int] = []
            while !stop() {
                samples.append(server.connectionCount)
                let tenth = Int((ContinuousClock.now - begin) / .milliseconds(Int64(seconds * 100)))
                if tenth > tenths.count { tenths.append(MemoryFigures.read("VmRSS") / 1024) }
                try? await Task.sleep(for: .milliseconds(50))
            }
            report.note("RSS at each tenth of the run (MiB): " + tenths.map(String.init).joined(separator: " "))
            report.count("server connections, sampled: median", by: samples.sorted()[samples.count / 2])
            report.maximum("server connections, sampled: max", samples.max() ?? 0)
            var kills: [String: Int] = [:]
            for await (name, count) in group where !name.isEmpty { kills[name] = count }
            return kills
        }
        let elapsed = ContinuousClock.now - begin

        // Every hostile connection is closed now: the server must be back to the two good clients.
        let settle = ContinuousClock.now.advanced(by: .seconds(5))
        while server.connectionCount > goodConnections, ContinuousClock.now < settle { try await Task.sleep(for: .milliseconds(20)) }
        if server.connectionCount != goodConnections {
            report.violation("\(server.connectionCount) connections open after the fuzz; expected \(goodConnections)")
        }
        let fresh = Self.client(server.endpoints[1], token: readToken)
        do { _ = try await fresh.snapshot() } catch { report.violation("a new client could not take a snapshot after the fuzz: \(error)") }
        await fresh.close()
        for client in good { await client.client.close() }

        let final = tree.snapshot()
        Self.checkUntouched(initial: initial.snapshot, final: final, kills: kills, report: report)
        let caughtUp = progress.withLock { progress in
            progress.stopAt = final.sequence
            return progress.lastSequence >= final.sequence
        }
        if caughtUp { watcher.cancel() }
        report.count("tree events seen", by: await watcher.value)
        memory.endKB = MemoryFigures.read("VmRSS")
        memory.peakKB = MemoryFigures.read("VmHWM")
        if memory.warmUpKB > 0, memory.endKB - memory.warmUpKB > memoryBound * 1024 {
            report.violation("RSS grew by \((memory.endKB - memory.warmUpKB) / 1024) MiB after warm-up (bound \(memoryBound) MiB)")
        }
        for (name, count) in kills.sorted(by: { $0.key < $1.key }) { report.count("\(name) kills", by: count) }

        await server.shutdown()
        _ = await serving.result
        if access(socketPath, F_OK) == 0 { report.violation("the socket file \(socketPath) is still there after shutdown") }
        await tree.shutdown()
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(report.summary(seconds: elapsedSeconds, memory: memory, memoryBoundMiB: memoryBound))
        if report.violations > 0 { throw ExitCode(1) }
    }

    /// One fuzzing thread: random categories until `stop`.
    static func attack(setup: FuzzSetup, seed: UInt64, categories: [AttackCategory], report: FuzzReport, stop: () -> Bool) {
        var attacker = Attacker(setup: setup, seed: seed)
        while !stop() {
            let category = categories.randomElement(using: &attacker.random)!
            let outcome = attacker.attack(category)
            report.record(category.rawValue, outcome)
            if outcome.contains("no answer") {
                report.violation("\(category.rawValue): the server neither answered nor closed in time")
            } else if let required = category.required, !required.contains(where: outcome.contains),
                      !outcome.contains("tooManyConnections") {
                report.violation("\(category.rawValue): '\(outcome)', expected \(required.joined(separator: " or "))")
            }
        }
        attacker.closeSessions()
    }

    /// How far the tree watcher has read, and where it should stop.
    struct WatchProgress {
        var lastSequence: UInt64
        var stopAt: UInt64?
    }

    /// Counts the tree's events up to `progress.stopAt`; any event outside the victims' subtree
    /// means the fuzz touched the tree.
    static func watch(_ events: SupervisorEvents, progress: Locked<WatchProgress>, report: FuzzReport) async -> Int {
        var seen = 0
        for await event in events {
            seen += 1
            let done = progress.withLock { progress in
                progress.lastSequence = event.sequence
                return progress.stopAt.map { event.sequence >= $0 } ?? false
            }
            if case .lagged = event.kind {
                report.violation("the tree watcher lagged; it cannot vouch for the tree")
            } else if let path = event.kind.path, !"\(path)".hasPrefix("\(FuzzTree.victims)") {
                report.violation("an event outside the victims: \(event.kind)")
            }
            if done { break }
        }
        return seen
    }

    /// Every node but the victims is exactly as it was; each victim restarted once per kill.
    static func checkUntouched(initial: TreeSnapshot, final: TreeSnapshot, kills: [String: Int], report: FuzzReport) {
        if initial.allNodes.map(\.path) != final.allNodes.map(\.path) {
            report.violation("the tree's nodes changed: \(initial.allNodes.count) before, \(final.allNodes.count) after")
        }
        for before in initial.allNodes where !"\(before.path)".hasPrefix("\(FuzzTree.victims)/") {
            guard let after = final.node(at: before.path) else { continue }
            if after.incarnation != before.incarnation || after.restartCount != before.restartCount || after.state != before.state {
                report.violation("\(before.path) changed: #\(before.incarnation) → #\(after.incarnation), restarts \(before.restartCount) → \(after.restartCount), \(after.state)")
            }
        }
        for (transport, name) in [("tcp", "tcp client"), ("unix", "unix client"), ("tls", "tls client")] {
            let restarts = final.node(at: FuzzTree.victim(transport))?.restartCount ?? -1
            if restarts != kills[name] ?? 0 {
                report.violation("\(FuzzTree.victim(transport)) restarted \(restarts) times; its client killed it \(kills[name] ?? 0) times")
            }
        }
    }

    static func client(_ endpoint: RemoteEndpoint, token: String, caFile: String? = nil) -> RemoteSupervisor {
        RemoteSupervisor(endpoint: endpoint, configuration: .init(
            token: token, clientName: "flare-fuzz-good", eventBufferSize: 1 << 16,
            tls: try? caFile.map { try TLSClientSecurity(caFile: $0) }, insecurePlaintext: endpoint.isPlaintextTCP))
    }

    static func randomToken() -> String {
        (0..<32).map { _ in String("0123456789abcdef".randomElement()!) }.joined()
    }

    /// Runs blocking socket work on a thread of its own, off the concurrency pool.
    static func onThread(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                body()
                done.resume()
            }.start()
        }
    }
}
