/// Numbers events and hands them to subscribers; lives inside the tree's lock.
///
/// With no subscriber, emitting costs one increment: the event is never built.
struct EventHub: Sendable {
    private(set) var sequence: UInt64 = 0
    private var subscribers: [Int: AsyncStream<SupervisorEvent>.Continuation] = [:]
    private var nextSubscriberID = 0

    var hasSubscribers: Bool { !subscribers.isEmpty }

    mutating func emit(_ kind: @autoclosure () -> SupervisorEvent.Kind, at time: Duration) {
        sequence += 1
        guard !subscribers.isEmpty else { return }
        let event = SupervisorEvent(sequence: sequence, time: time, kind: kind())
        for continuation in subscribers.values { continuation.yield(event) }
    }

    mutating func subscribe(_ continuation: AsyncStream<SupervisorEvent>.Continuation) -> Int {
        nextSubscriberID += 1
        subscribers[nextSubscriberID] = continuation
        return nextSubscriberID
    }

    mutating func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)
    }

    /// Removes every subscriber and returns their continuations, to be finished outside the
    /// tree's lock (finishing runs their termination handlers, which take the lock).
    mutating func detachAll() -> [AsyncStream<SupervisorEvent>.Continuation] {
        defer { subscribers.removeAll() }
        return Array(subscribers.values)
    }
}
