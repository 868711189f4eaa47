import AshFlare
import NIOCore

/// Everything a connection sends, in order: replies, error replies, events and end frames.
///
/// Producers (request tasks, subscription pumps) append without ever waiting; one drainer task
/// takes everything queued at once and writes it as a single ``FrameBatch``. A burst of events
/// thus leaves in one write, and a client that stops reading shows up as a growing backlog, never
/// as a producer — or the tree — waiting. Appends are atomic with subscription bookkeeping, so
/// after `unsubscribe` is answered no event of that subscription can follow.
final class Outbox: Sendable {
    /// What became of an event handed to ``sendEvent(_:subscription:)``.
    enum EventOutcome: Equatable {
        /// Queued for sending.
        case queued
        /// The subscription is closed (unsubscribed, or the connection is ending): stop pumping.
        case closed
        /// The subscriber's backlog passed the limit: drop the connection.
        case overflow
    }

    fileprivate struct State {
        var pending: [ByteBuffer] = []
        var pendingEvents = 0
        var finished = false
        var waiter: CheckedContinuation<FrameBatch?, Never>?
        var subscriptions: Set<UInt64> = []
    }

    private let state = Locked(State())
    private let maxEventBacklog: Int

    /// Creates an outbox that reports an overflow past `maxEventBacklog` unsent events.
    init(maxEventBacklog: Int) {
        self.maxEventBacklog = maxEventBacklog
    }

    /// Queues a frame; returns false if the outbox is already finished.
    @discardableResult
    func send(_ frame: ServerFrame) -> Bool {
        append(Self.encode(frame))
    }

    /// What ``openSubscription(_:limit:)`` did.
    enum OpenOutcome: Equatable {
        case opened, duplicate, limitReached
    }

    /// Opens a subscription unless one with this id is open or `limit` are.
    func openSubscription(_ id: UInt64, limit: Int) -> OpenOutcome {
        state.withLock { state in
            if state.subscriptions.contains(id) { return .duplicate }
            guard state.subscriptions.count < limit, !state.finished else { return .limitReached }
            state.subscriptions.insert(id)
            return .opened
        }
    }

    /// Closes a subscription so no more of its events are queued; returns whether it was open.
    @discardableResult
    func closeSubscription(_ id: UInt64) -> Bool {
        state.withLock { $0.subscriptions.remove(id) != nil }
    }

    /// Queues `frame` and closes the subscription, if it is still open (the end of a stream).
    func closeSubscription(_ id: UInt64, with frame: ServerFrame) {
        let buffer = Self.encode(frame)
        let waiter = state.withLock { state -> CheckedContinuation<FrameBatch?, Never>? in
            guard !state.finished, state.subscriptions.remove(id) != nil else { return nil }
            state.pending.append(buffer)
            return state.takeWaiter()
        }
        waiter?.resume(returning: FrameBatch([buffer]))
    }

    /// The number of subscriptions open.
    var subscriptionCount: Int { state.withLock { $0.subscriptions.count } }

    /// Queues an event of subscription `subscription`, encoded with the caller's scratch writer.
    func sendEvent(_ event: SupervisorEvent, subscription: UInt64, scratch: inout JSONWriter) -> EventOutcome {
        scratch.reset()
        ServerFrame.event(subscription: subscription, event).encode(to: &scratch)
        let buffer = scratch.byteBuffer
        let (outcome, waiter) = state.withLock { state -> (EventOutcome, CheckedContinuation<FrameBatch?, Never>?) in
            guard !state.finished, state.subscriptions.contains(subscription) else { return (.closed, nil) }
            guard state.pendingEvents < maxEventBacklog else { return (.overflow, nil) }
            state.pendingEvents += 1
            state.pending.append(buffer)
            return (.queued, state.takeWaiter())
        }
        waiter?.resume(returning: FrameBatch([buffer]))
        return outcome
    }

    /// Queues `final` (if any) as the last frame; later appends are dropped. The drainer ends
    /// once everything queued is written.
    func finish(final: ServerFrame? = nil) {
        let buffer = final.map(Self.encode)
        let (waiter, batch) = state.withLock { state -> (CheckedContinuation<FrameBatch?, Never>?, FrameBatch?) in
            guard !state.finished else { return (nil, nil) }
            state.finished = true
            state.subscriptions.removeAll()
            guard let waiter = state.waiter.take() else {
                if let buffer { state.pending.append(buffer) }
                return (nil, nil)
            }
            return (waiter, buffer.map { FrameBatch([$0]) })
        }
        // A waiting drainer gets the final frame (or nil) directly, then finds the outbox empty.
        waiter?.resume(returning: batch)
    }

    /// Whether ``finish(final:)`` was called.
    var isFinished: Bool { state.withLock { $0.finished } }

    /// The drainer's side: everything queued, waiting if nothing is; `nil` once finished and empty.
    func next() async -> FrameBatch? {
        await withCheckedContinuation { (continuation: CheckedContinuation<FrameBatch?, Never>) in
            let ready = state.withLock { state -> FrameBatch?? in
                if !state.pending.isEmpty {
                    defer {
                        state.pending.removeAll(keepingCapacity: true)
                        state.pendingEvents = 0
                    }
                    return .some(FrameBatch(state.pending))
                }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func append(_ buffer: ByteBuffer) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<FrameBatch?, Never>?) in
            guard !state.finished else { return (false, nil) }
            state.pending.append(buffer)
            return (true, state.takeWaiter())
        }
        waiter?.resume(returning: FrameBatch([buffer]))
        return accepted
    }

    private static func encode(_ frame: ServerFrame) -> ByteBuffer {
        var writer = JSONWriter(capacity: 128)
        frame.encode(to: &writer)
        return writer.byteBuffer
    }
}

extension Outbox.State {
    /// When the drainer waits, hands it the single frame just appended (removing it from
    /// `pending`); otherwise leaves the frame for the drainer's next call.
    fileprivate mutating func takeWaiter() -> CheckedContinuation<FrameBatch?, Never>? {
        guard let waiter else { return nil }
        self.waiter = nil
        pending.removeAll(keepingCapacity: true)
        pendingEvents = 0
        return waiter
    }
}
