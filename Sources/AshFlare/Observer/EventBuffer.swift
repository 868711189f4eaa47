/// One local subscriber's bounded queue of events: the tree appends batches, one task reads.
///
/// Replaces an `AsyncStream` per subscriber: a batch of events (everything one tree-lock hold
/// emitted) is appended under this buffer's own lock and wakes the reader at most once, with no
/// generic code per event. When full, the oldest events are dropped; the reader notices the
/// gap in sequence numbers (``SupervisorEvents``). Never takes the tree's lock, so a reader
/// cancelled while the tree delivers cannot deadlock it.
final class EventBuffer: Sendable {
    private struct State {
        var events: [SupervisorEvent] = []
        var head = 0
        var waiter: UnsafeContinuation<SupervisorEvent?, Never>?
        var isFinished = false
        /// The reader has gone (cancelled, or every copy of its sequence dropped).
        var isTerminated = false

        var isEmpty: Bool { head == events.count }

        mutating func pop() -> SupervisorEvent? {
            guard head < events.count else { return nil }
            let event = events[head]
            head += 1
            if head == events.count {
                events.removeAll(keepingCapacity: true)
                head = 0
            }
            return event
        }
    }

    private let capacity: Int
    private let state = Locked(State())
    /// Runs once when the reader has gone.
    private let onTerminate: (@Sendable () -> Void)?

    init(capacity: Int, onTerminate: (@Sendable () -> Void)? = nil) {
        self.capacity = max(1, capacity)
        self.onTerminate = onTerminate
    }

    /// Appends `batch`, dropping the oldest events beyond the capacity, and wakes the reader.
    /// Returns false once the reader has gone (the tree then forgets this buffer).
    func deliver(_ batch: [SupervisorEvent]) -> Bool {
        let (alive, waiter, first) = state.withLock { state -> (Bool, UnsafeContinuation<SupervisorEvent?, Never>?, SupervisorEvent?) in
            guard !state.isTerminated, !state.isFinished else { return (!state.isTerminated, nil, nil) }
            guard !batch.isEmpty else { return (true, nil, nil) }
            state.events.append(contentsOf: batch)
            let excess = state.events.count - state.head - capacity
            if excess > 0 { state.head += excess }
            if state.head > 64, state.head * 2 > state.events.count {
                state.events.removeFirst(state.head)
                state.head = 0
            }
            guard let waiter = state.waiter else { return (true, nil, nil) }
            state.waiter = nil
            return (true, waiter, state.pop())
        }
        waiter?.resume(returning: first)
        return alive
    }

    /// Whether the reader waits for an event (for tests).
    var hasWaitingReader: Bool { state.withLock { $0.waiter != nil } }

    /// Ends the events: the reader gets what is buffered, then nil.
    func finish() {
        let waiter = state.withLock { state -> UnsafeContinuation<SupervisorEvent?, Never>? in
            state.isFinished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Marks the reader as gone and wakes it if it waits.
    func terminate() {
        let (first, waiter) = state.withLock { state -> (Bool, UnsafeContinuation<SupervisorEvent?, Never>?) in
            let first = !state.isTerminated
            state.isTerminated = true
            state.events.removeAll()
            state.head = 0
            defer { state.waiter = nil }
            return (first, state.waiter)
        }
        waiter?.resume(returning: nil)
        if first { onTerminate?() }
    }

    /// The next event, waiting for one; nil once finished and drained, or when the waiting task
    /// is cancelled (which ends the subscription, as with `AsyncStream`). One reader at a time.
    func next() async -> SupervisorEvent? {
        enum Ready { case event(SupervisorEvent), end, wait }
        let ready = state.withLock { state -> Ready in
            if let event = state.pop() { return .event(event) }
            return state.isFinished || state.isTerminated ? .end : .wait
        }
        switch ready {
        case .event(let event): return event
        case .end: return nil
        case .wait: break
        }
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<SupervisorEvent?, Never>) in
                let immediate = state.withLock { state -> SupervisorEvent?? in
                    if let event = state.pop() { return .some(event) }
                    if state.isFinished || state.isTerminated || Task.isCancelled { return .some(nil) }
                    precondition(state.waiter == nil, "SupervisorEvents iterated by more than one task at once")
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            terminate()
        }
    }
}

/// Ties a buffer's life to its readers: when the last copy of the sequence and of its
/// iterators is gone, the buffer is terminated and the tree drops it at its next delivery.
final class EventSubscription: Sendable {
    let buffer: EventBuffer

    init(_ buffer: EventBuffer) { self.buffer = buffer }

    deinit { buffer.terminate() }
}

/// A transport's feed into one ``SupervisorEvents`` (the remote client's subscriptions, or any
/// ``SupervisionControl`` that is not a local tree): batches in, one reader out, through the same
/// bounded buffer a local subscriber reads — one lock and at most one wake-up per batch, no
/// generic code per event (an `AsyncStream` hands over one event at a time).
///
/// ```swift
/// let feed = EventFeed(capacity: 4096) { unsubscribe() }
/// let observation = TreeObservation(snapshot: snapshot, events: feed.events(firstSequence: snapshot.sequence + 1))
/// feed.deliver(decodedEvents)  // as they arrive, in order
/// ```
public struct EventFeed: Sendable {
    private let buffer: EventBuffer

    /// A feed holding at most `capacity` unread events (the oldest are dropped; the reader sees
    /// `lagged`). `onReaderGone` runs once when the reader has gone: cancelled, or every copy of
    /// its sequence dropped.
    public init(capacity: Int, onReaderGone: @escaping @Sendable () -> Void = {}) {
        self.buffer = EventBuffer(capacity: capacity, onTerminate: onReaderGone)
    }

    /// The events, for the one reader; the first should have number `firstSequence`.
    public func events(firstSequence: UInt64) -> SupervisorEvents {
        SupervisorEvents(EventSubscription(buffer), firstSequence: firstSequence)
    }

    /// Appends `batch` and wakes the reader; false once the reader has gone.
    @discardableResult
    public func deliver(_ batch: [SupervisorEvent]) -> Bool { buffer.deliver(batch) }

    /// Ends the events: the reader gets what is buffered, then nil.
    public func finish() { buffer.finish() }
}
