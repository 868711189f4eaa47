import AshFlare

/// Resolved once: when a process child became ready, or why it never will.
final class ReadySignal: Sendable {
    private struct State {
        var outcome: Result<Void, ProcessChildError>?
        var waiters: [CheckedContinuation<Result<Void, ProcessChildError>, Never>] = []
    }

    private let state = Locked(State())

    var isResolved: Bool { state.withLock { $0.outcome != nil } }

    func succeed() { resolve(.success(())) }

    func fail(_ error: ProcessChildError) { resolve(.failure(error)) }

    /// Records the outcome and wakes the waiters; later calls are ignored.
    private func resolve(_ outcome: Result<Void, ProcessChildError>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Result<Void, ProcessChildError>, Never>] in
            guard state.outcome == nil else { return [] }
            state.outcome = outcome
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: outcome) }
    }

    /// Waits for the outcome; throws the failure.
    func wait() async throws(ProcessChildError) {
        let outcome = await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<Void, ProcessChildError>? in
                if let outcome = state.outcome { return outcome }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        try outcome.get()
    }
}
