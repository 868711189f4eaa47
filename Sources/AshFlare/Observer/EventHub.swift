/// Numbers events and hands them to subscribers; lives inside the tree's lock.
///
/// With no subscriber, emitting costs one increment: the event is never built.
///
/// A subscriber that stopped listening is removed by the next `emit` (its `yield` reports it
/// terminated). There is deliberately no `onTermination` handler taking the tree's lock: a
/// subscriber's task being cancelled runs that handler while holding the task's status lock,
/// and `yield` under the tree's lock takes that same task lock to resume it — the two orders
/// deadlock.
struct EventHub: Sendable {
    private(set) var sequence: UInt64 = 0
    private var subscribers: [Int: AsyncStream<SupervisorEvent>.Continuation] = [:]
    private var nextSubscriberID = 0

    var hasSubscribers: Bool { !subscribers.isEmpty }

    mutating func emit(_ kind: @autoclosure () -> SupervisorEvent.Kind, at time: Duration) {
        sequence += 1
        guard !subscribers.isEmpty else { return }
        let event = SupervisorEvent(sequence: sequence, time: time, kind: kind())
        var ended: [Int] = []
        for (id, continuation) in subscribers {
            if case .terminated = continuation.yield(event) { ended.append(id) }
        }
        for id in ended { subscribers.removeValue(forKey: id) }
    }

    /// The number of subscribers, ended ones not yet dropped included (for tests).
    var subscriberCount: Int { subscribers.count }

    mutating func subscribe(_ continuation: AsyncStream<SupervisorEvent>.Continuation) -> Int {
        nextSubscriberID += 1
        subscribers[nextSubscriberID] = continuation
        return nextSubscriberID
    }

    /// Removes every subscriber and returns their continuations, to be finished outside the
    /// tree's lock (finishing runs their termination handlers, which take the lock).
    mutating func detachAll() -> [AsyncStream<SupervisorEvent>.Continuation] {
        defer { subscribers.removeAll() }
        return Array(subscribers.values)
    }
}
