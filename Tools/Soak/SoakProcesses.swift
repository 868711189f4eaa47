import AshFlare
import AshFlareProcess
import Foundation

/// The soak's process children: a `procs` supervisor of real processes mixed into the tree
/// (sleepers, crash loops, a segfault, one that ignores SIGTERM, one that leaves a grandchild
/// behind, one that talks), and the checks after shutdown: no process of theirs is alive, and
/// the soak holds no more file descriptors than before the tree started.
///
/// Every process gets `SOAK_MARK` in its environment (inherited by its descendants), so an
/// orphan is found by scanning `/proc/*/environ` — a pid alone could have been reused.
struct SoakProcesses {
    let directory: String
    var calmFile: String { directory + "/calm" }
    var mark: String { "SOAK_MARK=" + directory }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("flare-soak-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// The `procs` supervisor: nine process children of six kinds, all permanent.
    func spec() throws -> SupervisorSpec {
        let crashLoop = #"sleep 0.$SOAK_DELAY; [ -e "$SOAK_CALM" ] && exec sleep 1000; exit 3"#
        let segfault = #"sleep 0.$SOAK_DELAY; [ -e "$SOAK_CALM" ] && exec sleep 1000; kill -SEGV $$"#
        let children = [
            try process("sleeper-1", "exec sleep 1000"),
            try process("sleeper-2", "exec sleep 1000"),
            try process("crash-loop-1", crashLoop, delay: 2),
            try process("crash-loop-2", crashLoop, delay: 5),
            try process("segfault", segfault, delay: 3),
            // Ignores SIGTERM: each stop waits 20 ms, then SIGKILLs the group.
            try process("stubborn", "trap '' TERM; exec sleep 1000", shutdown: .timeout(.milliseconds(20))),
            // A grandchild in the same group, that must die with it.
            try process("parent", "sleep 1000 & exec sleep 1000"),
            try process("talker", "while :; do echo tick; sleep 0.05; done"),
            try process("sleeper-3", "exec sleep 1000", backoff: .exponential(initial: .milliseconds(1), maximum: .milliseconds(20))),
        ]
        let template = WorkerTemplate("extra", summary: "a sleeping process", parameters: ["kind"]) { request in
            try process(request.id, "exec sleep 1000")
        }
        return SupervisorSpec("procs", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 200, within: .seconds(1)),
                              children: children).withTemplates([template])
    }

    private func process(
        _ id: ChildID, _ script: String, delay: Int = 1, shutdown: ShutdownPolicy = .timeout(.seconds(1)), backoff: Backoff = .none
    ) throws -> ChildSpec {
        let environment = ProcessEnvironment.inheriting(adding: ["SOAK_MARK": directory, "SOAK_CALM": calmFile, "SOAK_DELAY": "\(delay)"])
        return try ChildSpec.process(id, ProcessSpec("/bin/sh", arguments: ["-c", script], environment: environment),
                                     shutdown: shutdown, backoff: backoff)
    }

    /// From now on crash loops stop crashing (so the tree can settle).
    func calmDown() { _ = FileManager.default.createFile(atPath: calmFile, contents: nil) }

    /// The pids of live processes that carry this soak's mark.
    func markedProcesses() -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let needle = Array(mark.utf8)
        return entries.compactMap(Int32.init).filter { pid in
            guard pid != getpid(), let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environment.split(separator: 0).contains { Array($0) == needle } && ProcessLiveness.isAlive(pid)
        }
    }

    /// The processes still alive after `seconds` (each waited on through its pidfd, no sleeping).
    func orphans(within seconds: Int32) async -> [Int32] {
        await Task.detached {
            markedProcesses().filter { !ProcessLiveness.waitUntilExited($0, timeoutMilliseconds: seconds * 1000) }
        }.value
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// The file descriptors this process holds, each with what it refers to.
    static func openDescriptors() -> [Int: String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        var descriptors: [Int: String] = [:]
        for entry in entries {
            guard let fd = Int(entry), let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)") else { continue }
            descriptors[fd] = target
        }
        return descriptors
    }

    /// Starts and stops a one-process tree, a Dispatch timer and a task sleep, so that what is
    /// created once per process (the orphan watchdog's socket, the exit watcher's epoll set,
    /// Dispatch's timers) exists before descriptors are counted.
    static func warmUp() async throws {
        let tree = try await SupervisorHandle.start(SupervisorSpec("warm-up", children: [
            try ChildSpec.process("true", ProcessSpec("/bin/true"), restart: .transient),
        ]))
        var events = tree.events().makeAsyncIterator()
        if tree.snapshot().allNodes.contains(where: { $0.path.description == "warm-up/true" && $0.state == .running }) {
            _ = await events.next(where: { if case .childExited = $0 { true } else { false } })
        }
        await tree.shutdown()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(1)) { continuation.resume() }
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}
