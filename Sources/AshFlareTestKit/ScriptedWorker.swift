import AshFlare

/// A worker a test drives by hand: tell the running incarnation to return, crash, or let go.
///
/// One script serves every incarnation of a child; commands go to whichever incarnation runs.
/// ```swift
/// let db = WorkerScript()
/// let spec = SupervisorSpec("root") { ChildSpec.worker("db", backoff: .none) { db.makeWorker() } }
/// db.crash("connection refused")   // the running incarnation throws WorkerError
/// ```
public final class WorkerScript: Sendable {
    /// What the running incarnation should do next.
    public enum Command: Sendable {
        /// Return from `run()` (a normal exit).
        case exitNormally
        /// Throw ``WorkerError`` with the message.
        case crash(String)
    }

    private struct State {
        var queued: [Command] = []
        var waiter: CheckedContinuation<Command?, Never>?
        var initializations = 0
        var shutdownHookRuns = 0
        var initializationFailures: [String] = []
    }

    private let state = Locked(State())
    /// Whether `run()` ignores cancellation (to exercise shutdown timeouts and abandonment).
    public let ignoresCancellation: Bool

    /// Creates a script.
    /// - Parameter ignoresCancellation: When true, `run()` keeps waiting for a command after its
    ///   task is cancelled, like a worker stuck in a blocking call.
    public init(ignoresCancellation: Bool = false) {
        self.ignoresCancellation = ignoresCancellation
    }

    /// A worker factory result for this script.
    public func makeWorker() -> ScriptedWorker { ScriptedWorker(script: self) }

    /// Makes the next `initialize()` calls throw, once per message given.
    public func failInitialization(_ messages: String...) {
        state.withLock { $0.initializationFailures.append(contentsOf: messages) }
    }

    /// Tells the running (or next) incarnation to return normally.
    public func exitNormally() { send(.exitNormally) }

    /// Tells the running (or next) incarnation to throw ``WorkerError`` with `message`.
    public func crash(_ message: String = "scripted crash") { send(.crash(message)) }

    /// How many incarnations finished `initialize()`.
    public var initializations: Int { state.withLock { $0.initializations } }

    /// How many times the `shutdown()` hook ran.
    public var shutdownHookRuns: Int { state.withLock { $0.shutdownHookRuns } }

    private func send(_ command: Command) {
        let waiter = state.withLock { state -> CheckedContinuation<Command?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.queued.append(command)
            return nil
        }
        waiter?.resume(returning: command)
    }

    fileprivate func initialize() throws {
        try state.withLock { state in
            if !state.initializationFailures.isEmpty {
                throw WorkerError(state.initializationFailures.removeFirst())
            }
            state.initializations += 1
        }
    }

    fileprivate func recordShutdownHook() { state.withLock { $0.shutdownHookRuns += 1 } }

    fileprivate func nextCommand() async -> Command? {
        if ignoresCancellation { return await receive() }
        return await withTaskCancellationHandler {
            await receive()
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Command?, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }

    private func receive() async -> Command? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Command?? in
                if !state.queued.isEmpty { return .some(state.queued.removeFirst()) }
                if !ignoresCancellation && Task.isCancelled { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// The worker a ``WorkerScript`` creates.
public struct ScriptedWorker: Worker {
    let script: WorkerScript

    public func initialize() async throws { try script.initialize() }

    public func run() async throws {
        switch await script.nextCommand() {
        case .exitNormally: return
        case .crash(let message): throw WorkerError(message)
        case nil: throw CancellationError()
        }
    }

    public func shutdown() async throws { script.recordShutdownHook() }
}

/// A worker that throws as soon as it runs: for crash loops.
public struct CrashingWorker: Worker {
    /// The message of the error it throws.
    public var message: String

    /// Creates a worker that throws `WorkerError(message)`.
    public init(_ message: String = "crash") { self.message = message }

    public func run() async throws { throw WorkerError(message) }
}

/// A worker that waits until it is cancelled: a well-behaved long-running child.
public struct IdleWorker: Worker {
    /// Creates an idle worker.
    public init() {}

    public func run() async throws {
        await CancellationGate().wait()
        throw CancellationError()
    }
}

/// Suspends a task until it is cancelled: one small lock and a continuation, no timer (a
/// cancelled `Task.sleep` keeps its timer until the deadline on Linux) and no stream buffer.
final class CancellationGate: Sendable {
    private struct State {
        var waiter: UnsafeContinuation<Void, Never>?
        var cancelled = false
    }

    private let state = Locked(State())

    /// Returns once the calling task is cancelled (at once if it already is).
    func wait() async {
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let cancelled = state.withLock { state -> Bool in
                    if !state.cancelled { state.waiter = continuation }
                    return state.cancelled
                }
                if cancelled { continuation.resume() }
            }
        } onCancel: {
            // Resumed outside the lock; the lock is this gate's own, never the tree's.
            state.withLock { state -> UnsafeContinuation<Void, Never>? in
                state.cancelled = true
                defer { state.waiter = nil }
                return state.waiter
            }?.resume()
        }
    }
}
