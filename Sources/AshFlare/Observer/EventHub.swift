/// Numbers events and hands them to subscribers; lives inside the tree's lock.
///
/// With no subscriber, emitting costs one increment: the event is never built. With
/// subscribers, events are collected while the tree's lock is held and handed over as one
/// batch per subscriber by ``flush()``, which ``TreeCore/withState(_:)`` calls before it
/// releases the lock: numbering stays gap-free and in order, and each subscriber is woken at
/// most once per batch.
///
/// A subscriber that stopped listening is removed by the next `flush` (its buffer reports it
/// terminated). Nothing a subscriber does takes the tree's lock (``EventBuffer``), so a
/// subscriber's task being cancelled while the tree delivers cannot deadlock.
struct EventHub: Sendable {
    private(set) var sequence: UInt64 = 0
    private var subscribers: [EventBuffer] = []
    /// Events emitted during the current lock hold, not yet handed over.
    private var pending: [SupervisorEvent] = []

    var hasSubscribers: Bool { !subscribers.isEmpty }

    /// Numbers an event; builds it only if someone listens. `execution` names the execution
    /// the event is about (``SupervisorEvent/execution``).
    mutating func emit(_ kind: @autoclosure () -> SupervisorEvent.Kind, at time: Duration, execution: UInt64? = nil) {
        sequence += 1
        guard !subscribers.isEmpty else { return }
        pending.append(SupervisorEvent(sequence: sequence, time: time, kind: kind(), execution: execution))
    }

    /// Numbers a `childAdded` event for `record`, carrying its node; builds it only if someone listens.
    mutating func emitAdded(_ record: @autoclosure () -> ChildRecord, at time: Duration) {
        sequence += 1
        guard !subscribers.isEmpty else { return }
        let record = record()
        pending.append(SupervisorEvent(sequence: sequence, time: time, kind: .childAdded(path: record.path), node: record.addedNode))
    }

    /// Numbers one `childAdded` event per child of a supervisor incarnation that starts, in start order.
    mutating func emitAdded(childrenOf supervisor: SupervisorState, at time: Duration) {
        guard !subscribers.isEmpty else {
            sequence += UInt64(supervisor.records.count)
            return
        }
        for record in supervisor.records.ordered { emitAdded(record, at: time) }
    }

    /// Hands the pending events to every subscriber and drops those that have gone.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        var ended: [Int] = []
        for (index, subscriber) in subscribers.enumerated() where !subscriber.deliver(pending) { ended.append(index) }
        pending.removeAll(keepingCapacity: true)
        for index in ended.reversed() { subscribers.remove(at: index) }
    }

    /// The number of subscribers, ended ones not yet dropped included (for tests).
    var subscriberCount: Int { subscribers.count }

    mutating func subscribe(_ buffer: EventBuffer) {
        subscribers.append(buffer)
    }

    /// Removes every subscriber (after handing over what is pending) and returns them, to be
    /// finished by the caller.
    mutating func detachAll() -> [EventBuffer] {
        flush()
        defer { subscribers.removeAll() }
        return subscribers
    }
}
