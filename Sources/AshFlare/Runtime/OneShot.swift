
/// A value set once and awaited by any number of tasks; waiting is cancellable.
final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case pending(waiters: [Int: CheckedContinuation<Value?, Never>], nextID: Int)
        case done(Value)
    }

    private let state = Locked(State.pending(waiters: [:], nextID: 0))

    init() {}

    /// The value, if it has been set.
    var value: Value? {
        state.withLock { state in
            if case .done(let value) = state { return value }
            return nil
        }
    }

    /// Sets the value and wakes every waiter; later calls are ignored. Returns whether this call set it.
    @discardableResult
    func resolve(_ value: Value) -> Bool {
        let waiters: [CheckedContinuation<Value?, Never>]? = state.withLock { state in
            guard case .pending(let waiters, _) = state else { return nil }
            state = .done(value)
            return Array(waiters.values)
        }
        waiters?.forEach { $0.resume(returning: value) }
        return waiters != nil
    }

    /// Waits for the value; returns `nil` if the waiting task is cancelled first.
    func wait() async -> Value? {
        if let value { return value }
        let id = state.withLock { state -> Int? in
            guard case .pending(let waiters, let nextID) = state else { return nil }
            state = .pending(waiters: waiters, nextID: nextID + 1)
            return nextID
        }
        guard let id else { return value }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate: Value?? = state.withLock { state in
                    switch state {
                    case .done(let value):
                        return .some(value)
                    case .pending(var waiters, let nextID):
                        if Task.isCancelled { return .some(nil) }
                        waiters[id] = continuation
                        state = .pending(waiters: waiters, nextID: nextID)
                        return nil
                    }
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Value?, Never>? in
                guard case .pending(var waiters, let nextID) = state else { return nil }
                let waiter = waiters.removeValue(forKey: id)
                state = .pending(waiters: waiters, nextID: nextID)
                return waiter
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Waits for the value for at most `timeout` on `clock`; returns `nil` on timeout.
    func wait(timeout: Duration, clock: TreeClock) async -> Value? {
        if let value { return value }
        let deadline = clock.now() + timeout
        return await withTaskGroup(of: Value?.self) { group in
            group.addTask { await self.wait() }
            group.addTask {
                try? await clock.sleep(deadline)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? self.value
        }
    }
}
