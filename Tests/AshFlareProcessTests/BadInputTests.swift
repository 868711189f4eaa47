import AshFlare
import AshFlareProcess
import AshFlareTestKit
import Foundation
import Testing

@Suite("Bad process specs and misbehaving processes get a clear outcome, and the tree keeps running", .timeLimit(.minutes(2)))
struct BadInputTests {
    @Test("a missing executable is a typed error naming it, before anything starts")
    func missingExecutable() throws {
        let error = #expect(throws: ProcessChildError.self) {
            try ChildSpec.process("web", ProcessSpec("no-such-program-ashflare"))
        }
        #expect(error?.code == .executableNotFound)
        #expect(error?.message.contains("no-such-program-ashflare") == true)
    }

    @Test("a file without execute permission is a typed error naming its path")
    func notExecutable() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("script.sh")
        try "#!/bin/sh\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ProcessChildError.self) { try ChildSpec.process("job", ProcessSpec(path)) }
        #expect(error?.code == .notExecutable)
        #expect(error?.message.contains(path) == true)
    }

    @Test("an environment value with a NUL byte is a typed error naming the key")
    func nulInEnvironment() throws {
        let error = #expect(throws: ProcessChildError.self) {
            try ChildSpec.process("job", ProcessSpec("/bin/true", environment: .inheriting(adding: ["TOKEN": "a\u{0}b"])))
        }
        #expect(error?.code == .badEnvironment)
        #expect(error?.message.contains("TOKEN") == true)
    }

    @Test("a child that daemonizes exits normally and its daemon dies with its process group")
    func daemonizingChild() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("daemon", #"sleep 1000 & echo "$!" > "$PID_FILE"; exit 0"#, pidFile: scratch.path("d"), restart: .transient),
        ]))
        #expect(await tree.nextExit(of: "root/daemon") == .normal)
        let pids = scratch.pids(in: "d")
        #expect(pids.count == 1)
        #expect(await allExit(pids, within: 10))
        await tree.tree.shutdown()
    }

    @Test("a child that closes its standard output keeps running and can still be stopped")
    func closedStdout() async throws {
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("quiet", "exec >&-; echo ready >&2; exec sleep 1000"),
        ]))
        try await tree.tree.terminate("root/quiet")
        #expect(await tree.nextExit(of: "root/quiet") == .stopped(.exitedAfterRequest))
        await tree.tree.shutdown()
    }

    @Test("a child printing 100 MB without a newline ends normally with its output cut, never held whole")
    func hugeLine() async throws {
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("flood", "head -c 100000000 /dev/zero | tr '\\0' a", restart: .transient),
            try shell("neighbour", "exec sleep 1000"),
        ]))
        #expect(await tree.nextExit(of: "root/flood") == .normal)
        let states = Dictionary(uniqueKeysWithValues: try tree.tree.whichChildren(of: "root").map { ($0.id, $0.state) })
        #expect(states["neighbour"] == .running)
        // One line in the log: its first 16 KiB cut and marked by the child's splitter, then cut
        // again to the tree's line limit; the other ~100 MB were dropped, never held.
        let lines = try tree.tree.logTail(of: "root/flood", scope: .all).lines
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.isCut)
        #expect(line.text.utf8.count <= LogLimits().maxLineBytes)
        #expect(line.text.allSatisfy { $0 == "a" })
        #expect(line.cutBytes == 16 * 1024 + ProcessSpec.cutMarker.utf8.count - line.text.utf8.count)
        await tree.tree.shutdown()
    }

    @Test("an executable removed after the spec was made fails every restart with a reason naming it, until the intensity escalates")
    func executableRemovedLater() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("job.sh")
        try "#!/bin/sh\nexec sleep 1000\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        let inner = SupervisorSpec("inner", intensity: RestartIntensity(maxRestarts: 2, within: .seconds(60)), children: [
            try ChildSpec.process("job", ProcessSpec(path), backoff: .none),
        ])
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            .supervisor(inner, restart: .temporary), try shell("steady", "exec sleep 1000"),
        ]))
        try FileManager.default.removeItem(atPath: path)
        try await tree.tree.kill("root/inner/job")
        #expect(await tree.nextExit(of: "root/inner/job") == .killed)
        let failed = await tree.nextExit(of: "root/inner/job")
        #expect(failed?.isAbnormal == true)
        #expect("\(failed.map { "\($0)" } ?? "")".contains(path), "\(String(describing: failed))")
        #expect(await tree.nextExit(of: "root/inner") == .escalated)
        let states = Dictionary(uniqueKeysWithValues: try tree.tree.whichChildren(of: "root").map { ($0.id, $0.state) })
        #expect(states["steady"] == .running)
        await tree.tree.shutdown()
    }

    @Test("a child that exits in a tight loop exceeds the restart intensity and the supervisor escalates")
    func tightLoopEscalates() async throws {
        let inner = SupervisorSpec("loop", intensity: RestartIntensity(maxRestarts: 3, within: .seconds(60)), children: [
            try shell("crash", "exit 1"),
        ])
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            .supervisor(inner, restart: .temporary), try shell("steady", "exec sleep 1000"),
        ]))
        #expect(await tree.nextExit(of: "root/loop") == .escalated)
        let states = Dictionary(uniqueKeysWithValues: try tree.tree.whichChildren(of: "root").map { ($0.id, $0.state) })
        #expect(states["steady"] == .running)
        await tree.tree.shutdown()
    }

    @Test("1,000 process children start, run, and all stop on shutdown")
    func thousandChildren() async throws {
        let children = try (1...1000).map { try ChildSpec.process("sleep-\($0)", ProcessSpec("/bin/sleep", arguments: ["1000"])) }
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: children))
        let counts = try tree.tree.countChildren(of: "root")
        #expect(counts.active == 1000)
        let handle = tree.tree
        let shutdown = Task { await handle.shutdown() }
        let exits = await tree.events.kinds(through: { $0.isExited("root") }).filter {
            if case .childExited(_, _, .stopped(.exitedAfterRequest)) = $0 { true } else { false }
        }
        await shutdown.value
        #expect(exits.count == 1000)
    }
}
