import Synchronization

/// How a child's `initialize()` ended.
enum InitOutcome: Hashable, Sendable {
    case succeeded
    case failed(ChildExitReason)
}

/// One incarnation of a child: the two signals its supervisor waits on (initialised, exited)
/// and its task.
///
/// Both signals and their waiters live under one lock in one object (two generic `OneShot`
/// objects cost four allocations and generic metadata work per incarnation). A wait can carry a
/// deadline; it is then ended by ``expireWaiters(asOf:)``, which a ``DeadlineTimer`` calls, so a
/// stop with a timeout needs no task group and no task of its own.
final class ChildExecution: Sendable {
    private enum Liveness: UInt8, AtomicRepresentable {
        case running, abandoned, finished
    }

    /// Which signal a waiter waits for.
    private enum Signal {
        case initialized, exited
    }

    /// What a woken waiter receives: the signal's value, or nil (cancelled or past its deadline).
    private enum Delivery {
        case initialized(InitOutcome?)
        case exited(ChildExitReason?)
    }

    private struct Waiter {
        let id: Int
        let signal: Signal
        let deadline: Duration?
        let continuation: UnsafeContinuation<Delivery, Never>
    }

    private struct State {
        var task: Task<Void, Never>?
        var initOutcome: InitOutcome?
        var exitReason: ChildExitReason?
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        /// Set by a worker whose stop is enforced (``StopEnforcer``).
        var enforcer: (any StopEnforcer)?
        /// Whether a stop has begun; no enforcer can be registered after.
        var stopBegun = false

        func value(of signal: Signal) -> Delivery? {
            switch signal {
            case .initialized: initOutcome.map { .initialized($0) }
            case .exited: exitReason.map { .exited($0) }
            }
        }

        /// Removes and returns the waiters for which `body` holds.
        mutating func takeWaiters(where body: (Waiter) -> Bool) -> [Waiter] {
            guard waiters.contains(where: body) else { return [] }
            let taken = waiters.filter(body)
            waiters.removeAll(where: body)
            // Free the buffer: an idle child keeps its execution for as long as it runs.
            if waiters.isEmpty { waiters = [] }
            return taken
        }
    }

    let incarnation: UInt64
    /// The tree-unique, never reused id of this execution (``NodeSnapshot/execution``).
    let id: UInt64
    private let state = Locked(State())
    private let liveness = Atomic<Liveness>(.running)

    init(incarnation: UInt64, id: UInt64) {
        self.incarnation = incarnation
        self.id = id
    }

    func attach(_ task: Task<Void, Never>) { state.withLock { $0.task = task } }

    /// Takes the task out of this finished incarnation, for the child's next one to run on.
    func handOverTask() -> Task<Void, Never>? { state.withLock { $0.task.take() } }

    /// Registers how to stop this incarnation; `false` if a stop has already begun.
    func register(_ enforcer: some StopEnforcer) -> Bool {
        state.withLock { state in
            guard !state.stopBegun else { return false }
            state.enforcer = enforcer
            return true
        }
    }

    /// The enforcer the worker registered, if any.
    var enforcer: (any StopEnforcer)? { state.withLock { $0.enforcer } }

    /// Marks a stop as begun; returns the enforcer, if the worker registered one.
    func beginStop() -> (any StopEnforcer)? {
        state.withLock { state in
            state.stopBegun = true
            return state.enforcer
        }
    }

    /// Cancels the worker's task (no effect for a nested supervisor, which is stopped by message).
    func cancel() { state.withLock { $0.task }?.cancel() }

    /// Marks the incarnation as left behind; `false` if it finished in the meantime.
    func markAbandoned() -> Bool {
        liveness.compareExchange(expected: .running, desired: .abandoned, ordering: .acquiringAndReleasing).exchanged
    }

    /// Marks the incarnation as finished; returns whether it had been abandoned.
    func markFinished() -> Bool {
        liveness.exchange(.finished, ordering: .acquiringAndReleasing) == .abandoned
    }

    // MARK: Signals

    /// How `initialize()` ended, once it has.
    var initOutcome: InitOutcome? { state.withLock { $0.initOutcome } }

    /// Why the incarnation ended, once it has.
    var exitReason: ChildExitReason? { state.withLock { $0.exitReason } }

    /// Records how `initialize()` ended and wakes its waiters; later calls are ignored.
    func resolveInitialized(_ outcome: InitOutcome) {
        let woken = state.withLock { state -> [Waiter] in
            guard state.initOutcome == nil else { return [] }
            state.initOutcome = outcome
            return state.takeWaiters { $0.signal == .initialized }
        }
        for waiter in woken { waiter.continuation.resume(returning: .initialized(outcome)) }
    }

    /// Records why the incarnation ended and wakes its waiters; later calls are ignored.
    func resolveExited(_ reason: ChildExitReason) {
        let woken = state.withLock { state -> [Waiter] in
            guard state.exitReason == nil else { return [] }
            state.exitReason = reason
            return state.takeWaiters { $0.signal == .exited }
        }
        for waiter in woken { waiter.continuation.resume(returning: .exited(reason)) }
    }

    /// Waits for `initialize()` to end; nil if the waiting task is cancelled, or if `deadline`
    /// (on `clock`) passes first — which ``expireWaiters(asOf:)`` notices.
    func waitInitialized(until deadline: Duration? = nil, clock: ElapsedClock? = nil) async -> InitOutcome? {
        if case .initialized(let outcome) = await wait(for: .initialized, until: deadline, clock: clock) { return outcome }
        return nil
    }

    /// Waits for the incarnation to end; nil if the waiting task is cancelled, or if `deadline`
    /// (on `clock`) passes first — which ``expireWaiters(asOf:)`` notices.
    func waitExited(until deadline: Duration? = nil, clock: ElapsedClock? = nil) async -> ChildExitReason? {
        if case .exited(let reason) = await wait(for: .exited, until: deadline, clock: clock) { return reason }
        return nil
    }

    /// Wakes, with nil, every waiter whose deadline is at or before `now`.
    func expireWaiters(asOf now: Duration) {
        let expired = state.withLock { state in
            state.takeWaiters { waiter in waiter.deadline.map { $0 <= now } ?? false }
        }
        for waiter in expired { waiter.continuation.resume(returning: Self.nothing(for: waiter.signal)) }
    }

    private static func nothing(for signal: Signal) -> Delivery {
        switch signal {
        case .initialized: .initialized(nil)
        case .exited: .exited(nil)
        }
    }

    private func wait(for signal: Signal, until deadline: Duration?, clock: ElapsedClock?) async -> Delivery {
        let (id, ready) = state.withLock { state -> (Int, Delivery?) in
            if let value = state.value(of: signal) { return (0, value) }
            state.nextWaiterID += 1
            return (state.nextWaiterID, nil)
        }
        if let ready { return ready }
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Delivery, Never>) in
                let immediate = state.withLock { state -> Delivery? in
                    if let value = state.value(of: signal) { return value }
                    if Task.isCancelled { return Self.nothing(for: signal) }
                    // Checked under the lock: the timer expires waiters only after the deadline
                    // has passed, so a waiter that registers later must see it has passed.
                    if let deadline, let clock, clock.now() >= deadline { return Self.nothing(for: signal) }
                    state.waiters.append(Waiter(id: id, signal: signal, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let cancelled = state.withLock { state in state.takeWaiters { $0.id == id } }
            for waiter in cancelled { waiter.continuation.resume(returning: Self.nothing(for: waiter.signal)) }
        }
    }
}
