import AshFlare
import Synchronization

/// Every event of one tree, collected by a task of its own so the runner can look back at them.
final class EventLog: Sendable {
    private let events = Mutex<[SupervisorEvent]>([])
    private let collector = Mutex<Task<Void, Never>?>(nil)

    /// Starts collecting `stream` (subscribe before anything happens in the tree).
    init(_ stream: SupervisorEvents) {
        let task = Task { [self] in
            for await event in stream { append(event) }
        }
        collector.withLock { $0 = task }
    }

    private func append(_ event: SupervisorEvent) { events.withLock { $0.append(event) } }

    /// The events after number `sequence`, and whether every event up to `upTo` has arrived.
    func events(after sequence: UInt64, upTo: UInt64) -> (events: [SupervisorEvent], complete: Bool) {
        events.withLock { all in
            let complete = (all.last?.sequence ?? 0) >= upTo
            return (all.filter { $0.sequence > sequence }, complete)
        }
    }

    /// Stops collecting.
    func close() { collector.withLock { $0?.cancel() } }
}
