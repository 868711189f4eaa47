import AshFlare
import NIOCore

/// Everything a connection sends, in order: replies, error replies, events and end frames.
///
/// Producers (request tasks, subscription pumps) append without ever waiting. The first append
/// after a flush schedules the next flush on the channel's event loop, which writes everything
/// queued by then as one ``FrameBatch``: a burst of events leaves in one write, and no task has to
/// wake up in between. While the channel is not writable (the client reads too slowly) nothing is
/// flushed and events pile up here, where the backlog limit catches them — the producers, and the
/// tree, never wait. Appends are atomic with subscription bookkeeping, so after `unsubscribe` is
/// answered no event of that subscription can follow.
///
/// A reply can be held back until every open subscription has forwarded the events up to a
/// sequence number (``send(_:after:)``): the reply to an operation then never overtakes the
/// events the operation caused (docs/PROTOCOL.md, "Ordering").
final class Outbox: Sendable {
    /// What became of an event handed to ``sendEvent(_:subscription:scratch:)``.
    enum EventOutcome: Equatable {
        /// Queued for sending.
        case queued
        /// The subscription is closed (unsubscribed, or the connection is ending): stop pumping.
        case closed
        /// The subscriber's backlog passed the limit: drop the connection.
        case overflow
    }

    /// What ``openSubscription(_:limit:)`` did.
    enum OpenOutcome: Equatable {
        case opened, duplicate, limitReached
    }

    fileprivate struct State {
        var pending: [ByteBuffer] = []
        var pendingEvents = 0
        /// No more frames are accepted.
        var finished = false
        /// Close the channel once everything is written (a graceful end).
        var closeWhenDrained = false
        /// A flush is scheduled on the event loop.
        var flushScheduled = false
        /// The channel is not writable: flush when it is again.
        var blocked = false
        /// Open subscriptions, each with the sequence of the last event it forwarded.
        var subscriptions: [UInt64: UInt64] = [:]
        /// Replies waiting until every open subscription has forwarded `after`.
        var held: [(after: UInt64, buffer: ByteBuffer)] = []
        /// The reader, waiting for the client to read what was sent before it reads more requests.
        var writableWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Locked(State())
    private let channel: any Channel
    private let maxEventBacklog: Int

    /// Creates the outbox of `channel`, reporting an overflow past `maxEventBacklog` unsent events.
    init(channel: any Channel, maxEventBacklog: Int) {
        self.channel = channel
        self.maxEventBacklog = maxEventBacklog
        channel.closeFuture.whenComplete { _ in self.wakeWritableWaiters() }
    }

    /// Returns once the channel takes writes again (the client has read enough), the outbox is
    /// finished, or the channel has closed.
    ///
    /// The reader calls this before each request: a client that sends requests but does not read
    /// the replies is not read either, so unsent replies (a snapshot can be megabytes) cannot
    /// pile up without bound. Events are bounded separately by the backlog limit.
    func waitUntilWritable() async {
        if channel.isWritable { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.finished || channel.isWritable || !channel.isActive { return true }
                state.writableWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// How many readers wait in ``waitUntilWritable()`` (for tests).
    var writableWaiterCount: Int { state.withLock { $0.writableWaiters.count } }

    private func wakeWritableWaiters() {
        let waiters = state.withLock { state in
            defer { state.writableWaiters.removeAll() }
            return state.writableWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Queues a frame; returns false if the outbox is already finished.
    ///
    /// With `barrier`, the frame waits until every subscription open on the connection has
    /// forwarded the event numbered `barrier` (or has ended); `UInt64.max` waits for every open
    /// subscription to end.
    @discardableResult
    func send(_ frame: ServerFrame, after barrier: UInt64? = nil) -> Bool {
        let buffer = Self.encode(frame)
        let (accepted, schedule) = state.withLock { state -> (Bool, Bool) in
            guard !state.finished else { return (false, false) }
            if let barrier, state.forwardedByAll < barrier {
                state.held.append((barrier, buffer))
                return (true, false)
            }
            state.pending.append(buffer)
            return (true, state.scheduleFlush())
        }
        if schedule { scheduleFlush() }
        return accepted
    }

    /// Opens a subscription whose events follow `sequence`, unless one with this id is open or
    /// `limit` are.
    func openSubscription(_ id: UInt64, after sequence: UInt64, limit: Int) -> OpenOutcome {
        state.withLock { state in
            if state.subscriptions[id] != nil { return .duplicate }
            guard state.subscriptions.count < limit, !state.finished else { return .limitReached }
            state.subscriptions[id] = sequence
            return .opened
        }
    }

    /// Closes a subscription so no more of its events are queued; returns whether it was open.
    @discardableResult
    func closeSubscription(_ id: UInt64) -> Bool {
        let (closed, schedule) = state.withLock { state -> (Bool, Bool) in
            guard state.subscriptions.removeValue(forKey: id) != nil else { return (false, false) }
            return (true, state.releaseHeld())
        }
        if schedule { scheduleFlush() }
        return closed
    }

    /// Queues `frame` and closes the subscription, if it is still open (the end of a stream).
    func closeSubscription(_ id: UInt64, with frame: ServerFrame) {
        let buffer = Self.encode(frame)
        let schedule = state.withLock { state -> Bool in
            guard !state.finished, state.subscriptions.removeValue(forKey: id) != nil else { return false }
            state.pending.append(buffer)
            // Held replies follow the end frame.
            let releasedHeld = state.releaseHeld()
            return state.scheduleFlush() || releasedHeld
        }
        if schedule { scheduleFlush() }
    }

    /// The number of subscriptions open.
    var subscriptionCount: Int { state.withLock { $0.subscriptions.count } }

    /// Queues an event of subscription `subscription`, encoded with the caller's scratch writer.
    func sendEvent(_ event: SupervisorEvent, subscription: UInt64, scratch: inout JSONWriter) -> EventOutcome {
        scratch.reset()
        ServerFrame.event(subscription: subscription, event).encode(to: &scratch)
        let buffer = scratch.byteBuffer
        let (outcome, schedule) = state.withLock { state -> (EventOutcome, Bool) in
            guard !state.finished, state.subscriptions[subscription] != nil else { return (.closed, false) }
            guard state.pendingEvents < maxEventBacklog else { return (.overflow, false) }
            state.pendingEvents += 1
            state.pending.append(buffer)
            state.subscriptions[subscription] = event.sequence
            let releasedHeld = state.releaseHeld()
            return (.queued, state.scheduleFlush() || releasedHeld)
        }
        if schedule { scheduleFlush() }
        return outcome
    }

    /// Queues a log frame of subscription `subscription`; false once the subscription is closed.
    /// Not counted against the event backlog: the log pump waits for writability instead.
    func sendLog(_ entry: ChildLogEntry, subscription: UInt64, scratch: inout JSONWriter) -> Bool {
        scratch.reset()
        ServerFrame.log(subscription: subscription, entry).encode(to: &scratch)
        let buffer = scratch.byteBuffer
        let (queued, schedule) = state.withLock { state -> (Bool, Bool) in
            guard !state.finished, state.subscriptions[subscription] != nil else { return (false, false) }
            state.pending.append(buffer)
            return (true, state.scheduleFlush())
        }
        if schedule { scheduleFlush() }
        return queued
    }

    /// Accepts no more frames. With `closeWhenDrained`, the channel is closed once everything
    /// queued has been written (the graceful end of a connection).
    func finish(closeWhenDrained: Bool = false) {
        let schedule = state.withLock { state -> Bool in
            state.finished = true
            state.subscriptions.removeAll()
            state.held.removeAll()
            if closeWhenDrained { state.closeWhenDrained = true }
            return closeWhenDrained && state.scheduleFlush()
        }
        if schedule { scheduleFlush() }
        wakeWritableWaiters()
    }

    /// Whether ``finish(closeWhenDrained:)`` was called.
    var isFinished: Bool { state.withLock { $0.finished } }

    /// Called on the event loop when the channel's writability changed.
    func writabilityChanged(writable: Bool) {
        guard writable else { return }
        let flushNow = state.withLock { state -> Bool in
            guard state.blocked else { return false }
            state.blocked = false
            return state.scheduleFlush(force: true)
        }
        if flushNow { flush() }
        wakeWritableWaiters()
    }

    private func scheduleFlush() {
        channel.eventLoop.execute { self.flush() }
    }

    /// Writes everything queued as one batch (on the event loop).
    private func flush() {
        let (batch, close) = state.withLock { state -> ([ByteBuffer], Bool) in
            state.flushScheduled = false
            guard channel.isWritable || state.pending.isEmpty else {
                state.blocked = true
                return ([], false)
            }
            defer {
                state.pending.removeAll(keepingCapacity: true)
                state.pendingEvents = 0
            }
            return (state.pending, state.finished && state.closeWhenDrained)
        }
        if !batch.isEmpty { channel.writeAndFlush(FrameBatch(batch), promise: nil) }
        if close { channel.close(promise: nil) }
    }

    private static func encode(_ frame: ServerFrame) -> ByteBuffer {
        var writer = JSONWriter(capacity: 128)
        frame.encode(to: &writer)
        return writer.byteBuffer
    }
}

extension Outbox.State {
    /// The sequence every open subscription has forwarded (`UInt64.max` with none open).
    fileprivate var forwardedByAll: UInt64 {
        subscriptions.values.min() ?? .max
    }

    /// Moves the held replies whose barrier has been passed to the pending frames, in the order
    /// they were held; returns whether the caller must schedule a flush.
    fileprivate mutating func releaseHeld() -> Bool {
        guard !held.isEmpty else { return false }
        let reached = forwardedByAll
        var released = false
        var kept: [(after: UInt64, buffer: ByteBuffer)] = []
        for entry in held {
            if entry.after <= reached {
                pending.append(entry.buffer)
                released = true
            } else {
                kept.append(entry)
            }
        }
        held = kept
        return released && scheduleFlush()
    }

    /// Marks a flush as scheduled unless one already is or the channel is blocked; returns
    /// whether the caller must schedule it (or, with `force`, run it).
    fileprivate mutating func scheduleFlush(force: Bool = false) -> Bool {
        guard force || (!flushScheduled && !blocked) else { return false }
        flushScheduled = true
        return true
    }
}
