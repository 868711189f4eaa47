import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

/// `flare top`: the dashboard attached to served trees, as a real process.
@Suite("flare top", .timeLimit(.minutes(2)))
struct TopCommandTests {
    @Test("flare top --once renders one frame of every node; an unreachable node shows as disconnected")
    func onceFrame() async throws {
        let served = try await ServedTree.start(on: .unix)
        let result = try await FlareProcess.run([
            "top", "--once", "--width", "100", "--height", "24", "--no-color",
            "--connect", "\(served.endpoint)", "--connect", "unix:///nonexistent/flare-top.sock",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let frame = result.stdout
        #expect(frame.contains("acceptor"), "\(frame)")
        #expect(frame.contains("running"))
        #expect(frame.contains("disconnected"), "\(frame)")
        // Nodes are named short: a socket's file name without `.sock`.
        #expect(frame.contains("flare-top  disconnected"), "\(frame)")
        #expect(result.stdoutLines.allSatisfy { $0.count <= 100 })
        await served.stop()
    }

    @Test("flare top without a node to attach to is a usage error (exit 2)")
    func missingConnect() async throws {
        let result = try await FlareProcess.run(["top", "--once"], environment: ["ASHFLARE_CONNECT": ""])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("--connect"))
    }
}
