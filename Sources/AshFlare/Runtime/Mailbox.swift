/// A supervisor's message queue: many senders, one receiver (the supervisor's loop).
///
/// A lock-protected buffer and at most one waiting continuation, with no generic code on the
/// hot path (an `AsyncStream` costs several metadata lookups per message).
final class Mailbox<Message: Sendable>: Sendable {
    private struct State {
        var buffer: [Message?] = []
        var head = 0
        var waiter: UnsafeContinuation<Void, Never>?
        var isClosed = false
    }

    private let state = Locked(State())

    init() {}

    /// Enqueues `message`; returns false (and drops it) once the mailbox is closed.
    func post(_ message: Message) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, UnsafeContinuation<Void, Never>?) in
            guard !state.isClosed else { return (false, nil) }
            state.buffer.append(message)
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume()
        return accepted
    }

    /// The next message, waiting for one; nil once the mailbox is closed and empty.
    func next() async -> Message? {
        while true {
            let (message, isClosed) = state.withLock { state -> (Message?, Bool) in
                guard state.head < state.buffer.count else { return (nil, state.isClosed) }
                let message = state.buffer[state.head]
                state.buffer[state.head] = nil
                state.head += 1
                if state.head == state.buffer.count {
                    state.buffer.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                return (message, false)
            }
            if let message { return message }
            if isClosed { return nil }
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.head < state.buffer.count || state.isClosed { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Closes the mailbox: later posts are refused; returns what was still queued.
    func close() -> [Message] {
        let (remaining, waiter) = state.withLock { state -> ([Message], UnsafeContinuation<Void, Never>?) in
            state.isClosed = true
            let remaining = state.buffer[state.head...].compactMap { $0 }
            state.buffer.removeAll()
            state.head = 0
            defer { state.waiter = nil }
            return (remaining, state.waiter)
        }
        waiter?.resume()
        return remaining
    }
}
