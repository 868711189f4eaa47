import Foundation
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
}
