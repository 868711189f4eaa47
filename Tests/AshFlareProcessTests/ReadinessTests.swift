import Foundation
import AshFlare
@testable import AshFlareProcess
import AshFlareTestKit
import Testing

@Suite("A process child's readiness gates its next sibling's start", .timeLimit(.minutes(2)))
struct ReadinessTests {
    @Test("the next sibling starts only after the previous one prints its readiness line")
    func outputLineOrdersSiblings() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let log = scratch.path("order")
        // The db works a while before it writes its line and says it listens; the app records
        // whether the db's line was there when it started, then says it is up.
        let db = #"i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo db >> "$PID_FILE"; echo "listening on 1"; exec sleep 1000"#
        let app = #"if grep -q db "$PID_FILE"; then echo app; else echo app-too-early; fi >> "$PID_FILE"; echo up; exec sleep 1000"#
        let ready = { (pattern: String) in Readiness.outputLine(matching: pattern, timeout: .seconds(30)) }
        let tree = try await SupervisorHandle.start(SupervisorSpec("root", children: [
            try shell("db", db, pidFile: log, readiness: ready("listening on [0-9]+")),
            try shell("app", app, pidFile: log, readiness: ready("^up$")),
        ]))
        #expect(try tree.whichChildren(of: "root").map(\.state) == [.running, .running])
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "db\napp\n")
        await tree.shutdown()
    }

    @Test("a child that is not ready within its timeout fails to start with a readiness error, and is killed")
    func timeoutIsTypedInitError() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let clock = ManualClock()
        let tree = try await SupervisorHandle.start(SupervisorSpec("root"), clock: clock)
        let child = try shell(
            "slow", #"echo "$$" > "$PID_FILE"; exec sleep 1000"#, pidFile: scratch.path("slow"),
            readiness: .outputLine(matching: "never printed", timeout: .seconds(3)))
        let start = Task { try await tree.startChild(child, under: "root") }
        await clock.waitForSleepers(atLeast: 1)
        clock.advance(by: .seconds(3))
        let error = await #expect(throws: SupervisorError.self) { try await start.value }
        #expect(error?.code == .initializationFailed)
        #expect(error?.message.contains("was not ready") == true)
        #expect(try tree.whichChildren(of: "root").isEmpty)
        #expect(await allExit(scratch.pids(in: "slow"), within: 10))
        await tree.shutdown()
    }

    @Test("a child is ready once its TCP port accepts connections")
    func tcpPortReadiness() async throws {
        let port = UInt16.random(in: 20_000...40_000)
        let tree = try await SupervisorHandle.start(SupervisorSpec("root", children: [
            try ChildSpec.process("web", ProcessSpec(
                "python3", arguments: ["-m", "http.server", "\(port)", "--bind", "127.0.0.1"],
                readiness: .tcpPort(port, timeout: .seconds(30)))),
        ]))
        #expect(try tree.whichChildren(of: "root").first?.state == .running)
        #expect(ReadinessProbe.accepts(.tcpPort(host: "127.0.0.1", port: port)))
        await tree.shutdown()
    }
}
