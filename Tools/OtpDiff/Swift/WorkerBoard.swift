import AshFlare
import Synchronization

/// What the differential workers share with the runner: start counts, armed start failures,
/// the order of starts in the current step, and a mailbox per live incarnation so the runner
/// can make a given incarnation exit.
final class WorkerBoard: Sendable {
    /// How the runner tells an incarnation to end.
    enum Command: Sendable {
        /// `run()` returns (a normal exit).
        case exitNormally
        /// `run()` throws (an abnormal exit).
        case crash
    }

    private struct State {
        var starts: [String: Int] = [:]
        var failed: [String: Int] = [:]
        var failuresArmed: [String: Int] = [:]
        var startedThisStep: [String] = []
        var queued: [String: Command] = [:]
        var waiters: [String: CheckedContinuation<Command?, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Makes the next `count` starts of `path` fail in `initialize()`.
    func armFailures(_ path: String, count: Int) {
        state.withLock { $0.failuresArmed[path] = count }
    }

    /// Counts a start of `path`, or throws if a failure is armed for it.
    func initialize(_ path: String) throws {
        try state.withLock { state in
            if let armed = state.failuresArmed[path], armed > 0 {
                state.failuresArmed[path] = armed - 1
                state.failed[path, default: 0] += 1
                throw WorkerError("init_failed")
            }
            state.starts[path, default: 0] += 1
            state.startedThisStep.append(path)
        }
    }

    /// Successful starts and failed starts by path, so far.
    var counts: (starts: [String: Int], failed: [String: Int]) {
        state.withLock { ($0.starts, $0.failed) }
    }

    /// The workers started since the last call, in order.
    func takeStarted() -> [String] {
        state.withLock { state in
            defer { state.startedThisStep = [] }
            return state.startedThisStep
        }
    }

    /// Tells incarnation `incarnation` of `path` to end (now, or as soon as it waits).
    func send(_ command: Command, to path: String, incarnation: UInt64) {
        let key = Self.key(path, incarnation)
        let waiter = state.withLock { state -> CheckedContinuation<Command?, Never>? in
            if let waiter = state.waiters.removeValue(forKey: key) { return waiter }
            state.queued[key] = command
            return nil
        }
        waiter?.resume(returning: command)
    }

    /// Waits for this incarnation's command; nil when its task is cancelled (it is being stopped).
    func nextCommand(_ path: String, incarnation: UInt64) async -> Command? {
        let key = Self.key(path, incarnation)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Command?, Never>) in
                let ready = state.withLock { state -> Command?? in
                    if let command = state.queued.removeValue(forKey: key) { return .some(command) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[key] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: key) }?.resume(returning: nil)
        }
    }

    private static func key(_ path: String, _ incarnation: UInt64) -> String { "\(path)#\(incarnation)" }
}

/// The differential worker: counts its start on the board, then runs until the runner tells
/// this incarnation to exit, or until it is stopped.
struct DiffWorker: Worker {
    let board: WorkerBoard
    let context: ChildContext

    func initialize() async throws { try board.initialize(context.path.description) }

    func run() async throws {
        switch await board.nextCommand(context.path.description, incarnation: context.incarnation) {
        case .exitNormally: return
        case .crash: throw WorkerError("crash")
        case nil: throw CancellationError()
        }
    }
}
