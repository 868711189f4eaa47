import AshFlare
import Synchronization

/// Lets a benchmark drive an exact number of crash → restart cycles of one child.
///
/// Every incarnation of a ``GatedCrashWorker`` asks the gate for a turn. While the gate has
/// budget, the incarnation takes one unit and crashes at once; the supervisor restarts it and
/// the next incarnation asks again. When the budget is used up, the incarnation that finds it
/// empty tells the waiting benchmark (if any) and parks until the next round. So
/// `run(cycles: n)` measures exactly `n` crash → restart cycles plus one continuation resume
/// at either end.
public final class CrashGate: Sendable {
    private struct State {
        var budget = 0
        /// The incarnation waiting for budget.
        var parked: CheckedContinuation<Void, any Error>?
        /// The benchmark waiting for the round to end.
        var done: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// Gives the gate `cycles` crashes and waits until all of them were restarted.
    public func run(cycles: Int) async {
        precondition(cycles > 0)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            release(cycles: cycles, done: done)
        }
    }

    /// Gives the gate `cycles` crashes and returns at once.
    public func release(cycles: Int) {
        precondition(cycles > 0)
        release(cycles: cycles, done: nil)
    }

    private func release(cycles: Int, done: CheckedContinuation<Void, Never>?) {
        let parked = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            state.budget += cycles
            state.done = done
            guard let parked = state.parked else { return nil }
            state.parked = nil
            state.budget -= 1
            return parked
        }
        parked?.resume()
    }

    /// Returns when the calling incarnation should crash; throws `CancellationError` when its
    /// task is cancelled while it waits.
    func awaitTurn() async throws {
        let finishedRound = state.withLock { state -> CheckedContinuation<Void, Never>?? in
            if state.budget > 0 {
                state.budget -= 1
                return .none
            }
            defer { state.done = nil }
            return .some(state.done)
        }
        guard let finishedRound else { return }
        finishedRound?.resume()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate = state.withLock { state -> Result<Void, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.budget > 0 {
                        state.budget -= 1
                        return .success(())
                    }
                    state.parked = continuation
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let parked = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                defer { state.parked = nil }
                return state.parked
            }
            parked?.resume(throwing: CancellationError())
        }
    }
}

/// A worker that crashes when its ``CrashGate`` gives it a turn, and otherwise waits.
public struct GatedCrashWorker: Worker {
    let gate: CrashGate

    public init(gate: CrashGate) { self.gate = gate }

    public func run() async throws {
        try await gate.awaitTurn()
        throw WorkerError("crash")
    }
}

/// A counter that worker factories bump, which a benchmark can wait on.
public final class Tally: Sendable {
    private struct State {
        var count = 0
        var target = Int.max
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// The current count.
    public var count: Int { state.withLock { $0.count } }

    /// Adds one and wakes the waiter once its target is reached.
    public func increment() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count += 1
            guard state.count >= state.target, let waiter = state.waiter else { return nil }
            state.waiter = nil
            state.target = .max
            return waiter
        }
        waiter?.resume()
    }

    /// Waits until the count is at least `target` (one waiter at a time).
    public func wait(untilReaches target: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let reached = state.withLock { state -> Bool in
                if state.count >= target { return true }
                precondition(state.waiter == nil, "one waiter at a time")
                state.target = target
                state.waiter = continuation
                return false
            }
            if reached { continuation.resume() }
        }
    }
}

/// The intensity used wherever a benchmark must never escalate.
public let unboundedIntensity = RestartIntensity(maxRestarts: 1_000_000_000, within: .seconds(1))
