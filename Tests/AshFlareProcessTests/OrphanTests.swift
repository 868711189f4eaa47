import AshFlareProcess
import Foundation
import Subprocess
import SystemPackage
import Testing

@Suite("No orphans", .timeLimit(.minutes(2)))
struct OrphanTests {
    @Test("when the supervising process is SIGKILLed, all 50 process children and their grandchildren die")
    func sigkilledSupervisorLeavesNoOrphans() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let pidFile = scratch.path("pids")
        let fixture = try Self.fixture()
        let result = try await Subprocess.run(
            .path(FilePath(fixture)), arguments: [pidFile, "50"], input: .none, output: .sequence, error: .discarded
        ) { execution -> [Int32] in
            // "ready 50": every child has written its pids and said so (its readiness line).
            for try await line in execution.standardOutput.strings() where line.hasPrefix("ready") { break }
            let pids = scratch.pids(in: "pids")
            try execution.send(signal: .kill)
            return pids
        }
        #expect(result.terminationStatus == .signaled(9))
        let pids = result.closureResult
        #expect(pids.count == 100)
        #expect(await allExit(pids, within: 10), "still alive: \(pids.filter(ProcessLiveness.isAlive))")
    }

    /// The `flare-orphans` executable built next to the tests.
    static func fixture() throws -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle.appendingPathComponent("flare-orphans"), bundle.deletingLastPathComponent().appendingPathComponent("flare-orphans")]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ProcessChildError(.executableNotFound, "flare-orphans is not built; run swift build --build-tests")
        }
        return found.path
    }
}
