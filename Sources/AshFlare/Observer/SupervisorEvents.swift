/// The events of a tree for one subscriber, in order; ends when the tree has shut down.
///
/// The buffer is bounded: a subscriber that falls more than its buffer behind loses the oldest
/// events and then receives one ``SupervisorEvent/Kind/lagged(missed:)`` event saying how many
/// it missed, so it can take a fresh snapshot. The tree never waits for a subscriber.
public struct SupervisorEvents: AsyncSequence, Sendable {
    public typealias Element = SupervisorEvent

    /// Where the events come from: a local tree's buffer, or a transport's stream.
    enum Source: Sendable {
        case local(EventSubscription)
        case stream(AsyncStream<SupervisorEvent>)
    }

    let source: Source
    let firstSequence: UInt64

    /// Wraps a stream of events whose first event should have number `firstSequence`
    /// (for transports, such as the remote client, that deliver events of a remote tree).
    public init(_ stream: AsyncStream<SupervisorEvent>, firstSequence: UInt64) {
        self.source = .stream(stream)
        self.firstSequence = firstSequence
    }

    /// A local tree's subscription.
    init(_ subscription: EventSubscription, firstSequence: UInt64) {
        self.source = .local(subscription)
        self.firstSequence = firstSequence
    }

    /// Creates an async iterator.
    public func makeAsyncIterator() -> Iterator {
        switch source {
        case .local(let subscription): Iterator(base: .local(subscription), expected: firstSequence)
        case .stream(let stream): Iterator(base: .stream(stream.makeAsyncIterator()), expected: firstSequence)
        }
    }

    /// Iterates the events, inserting a `lagged` event where some were dropped.
    public struct Iterator: AsyncIteratorProtocol {
        enum Base {
            case local(EventSubscription)
            case stream(AsyncStream<SupervisorEvent>.Iterator)
        }

        var base: Base
        var expected: UInt64
        var pending: SupervisorEvent?

        /// The next event, or `nil` once the tree has shut down, without leaving the caller's
        /// actor for a transport's stream.
        public mutating func next(isolation actor: isolated (any Actor)? = #isolation) async -> SupervisorEvent? {
            if let event = pending {
                pending = nil
                return event
            }
            let next: SupervisorEvent?
            switch base {
            case .local(let subscription):
                next = await subscription.buffer.next()
            case .stream(var iterator):
                next = await iterator.next(isolation: actor)
                base = .stream(iterator)
            }
            guard let event = next else { return nil }
            defer { expected = event.sequence + 1 }
            if event.sequence > expected {
                pending = event
                return SupervisorEvent(
                    sequence: event.sequence - 1, time: event.time, kind: .lagged(missed: event.sequence - expected))
            }
            return event
        }

    }
}
