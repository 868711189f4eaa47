/// A supervisor's message queue: many senders, one receiver at a time.
///
/// The receiver is the supervisor's loop, or a sender that finds the loop idle: a child's task
/// reporting its own exit handles the message itself (``Posted/handleHere``) instead of waking
/// the loop on another thread, and then the messages that arrive meanwhile. Whoever receives,
/// messages are handled one at a time, in the order they were posted.
///
/// A lock-protected buffer and at most one waiting continuation, with no generic code on the
/// hot path (an `AsyncStream` costs several metadata lookups per message).
final class Mailbox<Message: Sendable>: Sendable {
    /// What became of a posted message.
    enum Posted: Equatable, Sendable {
        /// Queued for the loop, or for whoever is handling messages.
        case queued
        /// The loop was idle: the sender handles this message itself, then asks ``nextHere()``
        /// for more until it says there are none.
        case handleHere
        /// The mailbox is closed: the message was dropped.
        case refused
    }

    private struct State {
        var buffer: [Message?] = []
        var head = 0
        var waiter: UnsafeContinuation<Void, Never>?
        /// A sender is handling messages while the loop waits.
        var handledElsewhere = false
        /// A message a sender hands back to the loop (it stops the loop's serving).
        var handedBack: Message?
        var isClosed = false

        mutating func pop() -> Message? {
            guard head < buffer.count else { return nil }
            let message = buffer[head]
            buffer[head] = nil
            head += 1
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            }
            return message
        }
    }

    private let state = Locked(State())

    init() {}

    /// Enqueues `message`, or with `handleHere` lets the caller handle it if the loop is idle
    /// and nobody else is handling messages.
    func post(_ message: Message, handleHere allowed: Bool = false) -> Posted {
        let (posted, waiter) = state.withLock { state -> (Posted, UnsafeContinuation<Void, Never>?) in
            guard !state.isClosed else { return (.refused, nil) }
            if state.handledElsewhere {
                state.buffer.append(message)
                return (.queued, nil)
            }
            if allowed, state.waiter != nil {
                state.handledElsewhere = true
                return (.handleHere, nil)
            }
            state.buffer.append(message)
            defer { state.waiter = nil }
            return (.queued, state.waiter)
        }
        waiter?.resume()
        return posted
    }

    /// For a sender handling messages: the next one, or nil when there are none left (the loop
    /// receives again from then on).
    func nextHere() -> Message? {
        state.withLock { state in
            if let message = state.pop() { return message }
            state.handledElsewhere = false
            return nil
        }
    }

    /// For a sender handling messages: stops handling; the loop receives what is queued.
    func resumeLoop() {
        let waiter = state.withLock { state -> UnsafeContinuation<Void, Never>? in
            state.handledElsewhere = false
            guard state.head < state.buffer.count else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// For a sender handling messages: stops handling and gives `message` to the loop, to handle
    /// before anything still queued.
    func handBack(_ message: Message) {
        let waiter = state.withLock { state -> UnsafeContinuation<Void, Never>? in
            state.handledElsewhere = false
            state.handedBack = message
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// The next message, waiting for one; nil once the mailbox is closed and empty.
    func next() async -> Message? {
        while true {
            let (message, isClosed) = state.withLock { state -> (Message?, Bool) in
                if let message = state.handedBack {
                    state.handedBack = nil
                    return (message, false)
                }
                guard !state.handledElsewhere else { return (nil, false) }
                return (state.pop(), state.isClosed)
            }
            if let message { return message }
            if isClosed { return nil }
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.handedBack != nil { return true }
                    if !state.handledElsewhere && (state.head < state.buffer.count || state.isClosed) { return true }
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
