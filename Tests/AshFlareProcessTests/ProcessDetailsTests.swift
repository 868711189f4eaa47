import AshFlare
import AshFlareProcess
import AshFlareTestKit
import Testing

@Suite("Process figures in the snapshot", .timeLimit(.minutes(2)))
struct ProcessDetailsTests {
    @Test("a running process child's snapshot node has its pid, resident memory and, from the second snapshot, CPU %")
    func snapshotHasFigures() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let tree = try await SupervisorHandle.start(SupervisorSpec("root", children: [
            try shell("busy", #"echo "$$" > "$PID_FILE"; echo ready; exec sleep 1000"#, pidFile: scratch.path("pid"),
                      readiness: .outputLine(matching: "ready", timeout: .seconds(30))),
            .worker("task") { IdleWorker() },
        ]))
        let first = try #require(tree.snapshot().node(at: "root/busy")?.process)
        #expect(first.pid == scratch.pids(in: "pid").first)
        #expect((first.residentBytes ?? 0) > 0)
        #expect(first.cpuPercent == nil)
        let second = try #require(tree.snapshot().node(at: "root/busy")?.process)
        #expect(second.cpuPercent != nil)
        #expect(tree.snapshot().node(at: "root/task")?.process == nil)
        try await tree.terminate("root/busy")
        #expect(tree.snapshot().node(at: "root/busy")?.process == nil)
        await tree.shutdown()
    }
}
