import AshFlare
import AshFlareTestKit

/// A tree whose `snapshot()` waits at a gate until the test opens it, counting how many calls
/// run at once: it makes "requests in flight" observable.
final class GatedTree: SupervisionControl {
    private struct State {
        var running = 0
        var mostAtOnce = 0
        var entered = 0
        var isOpen = true
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let tree: SupervisorHandle
    private let state = Locked(State())

    init(_ tree: SupervisorHandle) { self.tree = tree }

    /// Calls of `snapshot()` since ``close()``.
    var entered: Int { state.withLock { $0.entered } }
    /// The most calls of `snapshot()` that ran at once.
    var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }

    /// Makes later calls wait until ``open()`` (the gate starts open, so a server can bind).
    func close() {
        state.withLock { state in
            state.isOpen = false
            state.entered = 0
            state.mostAtOnce = state.running
        }
    }

    /// Lets every waiting and future call through.
    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func snapshot() async throws -> TreeSnapshot {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let pass = state.withLock { state -> Bool in
                state.entered += 1
                state.running += 1
                state.mostAtOnce = max(state.mostAtOnce, state.running)
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if pass { continuation.resume() }
        }
        defer { state.withLock { $0.running -= 1 } }
        return tree.snapshot()
    }

    func lastEventSequence() async throws -> UInt64 { try await tree.lastEventSequence() }
    func logTail(of path: ChildPath, scope: LogScope, limit: Int?) async throws -> LogTail {
        try tree.logTail(of: path, scope: scope, limit: limit)
    }
    func followLog(of path: ChildPath, backlog: Int) async throws -> ChildLogLines {
        try tree.followLog(of: path, backlog: backlog)
    }
    func observe() async throws -> TreeObservation { tree.observe() }
    func whichChildren(of path: ChildPath) async throws -> [ChildInfo] { try tree.whichChildren(of: path) }
    func countChildren(of path: ChildPath) async throws -> ChildCounts { try tree.countChildren(of: path) }
    func startChild(template: String, arguments: [String], under supervisor: ChildPath) async throws -> ChildPath {
        try await tree.startChild(template: template, arguments: arguments, under: supervisor)
    }
    func kill(_ path: ChildPath) async throws { try await tree.kill(path) }
    func terminate(_ path: ChildPath) async throws { try await tree.terminate(path) }
    func restart(_ path: ChildPath) async throws { try await tree.restart(path) }
    func delete(_ path: ChildPath) async throws { try await tree.delete(path) }
    func kill(_ path: ChildPath, ifExecution execution: UInt64) async throws { try await tree.kill(path, ifExecution: execution) }
    func terminate(_ path: ChildPath, ifExecution execution: UInt64) async throws { try await tree.terminate(path, ifExecution: execution) }
    func restart(_ path: ChildPath, ifExecution execution: UInt64) async throws { try await tree.restart(path, ifExecution: execution) }
    func delete(_ path: ChildPath, ifExecution execution: UInt64) async throws { try await tree.delete(path, ifExecution: execution) }
    func shutdown() async throws { await tree.shutdown() }
}
