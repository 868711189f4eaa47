import AshFlare
import AshFlareProcess
import AshFlareTestKit
import Foundation
import Testing

/// A tree of process children under test, with its event iterator opened before start.
struct ProcessTree {
    let tree: SupervisorHandle
    var events: SupervisorEvents.Iterator

    static func start(_ spec: SupervisorSpec, clock: some Clock<Duration> = ContinuousClock()) async throws -> ProcessTree {
        let tree = try await SupervisorHandle.start(spec, clock: clock)
        return ProcessTree(tree: tree, events: tree.events().makeAsyncIterator())
    }

    /// The reason of the next `childExited` of `path`.
    mutating func nextExit(of path: ChildPath) async -> ChildExitReason? {
        guard case .childExited(_, _, let reason) = await events.next(where: { $0.isExited(path) })?.kind else { return nil }
        return reason
    }
}

/// A scratch directory and the pid files process children write into it.
struct Scratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ashflare-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The pids written to `name`, one or more per line.
    func pids(in name: String) -> [Int32] {
        guard let text = try? String(contentsOfFile: path(name), encoding: .utf8) else { return [] }
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int32($0) }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A shell process child: `/bin/sh -c script`, with `PID_FILE` set.
func shell(
    _ id: ChildID, _ script: String, pidFile: String = "/dev/null", readiness: Readiness = .spawned,
    restart: RestartPolicy = .permanent, shutdown: ShutdownPolicy = .workerDefault, backoff: Backoff = .none
) throws -> ChildSpec {
    try ChildSpec.process(
        id, ProcessSpec("/bin/sh", arguments: ["-c", script], environment: .inheriting(adding: ["PID_FILE": pidFile]), readiness: readiness),
        restart: restart, shutdown: shutdown, backoff: backoff)
}

/// Whether every pid has exited within `seconds` (waits on each process's pidfd, never sleeps).
func allExit(_ pids: [Int32], within seconds: Int32) async -> Bool {
    await Task.detached {
        pids.allSatisfy { ProcessLiveness.waitUntilExited($0, timeoutMilliseconds: seconds * 1000) }
    }.value
}
