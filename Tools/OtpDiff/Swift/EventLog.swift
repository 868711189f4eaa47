import AshFlare
import Synchronization

/// Every event of one tree, collected by a task of its own so the runner can look back at them.
final class EventLog: Sendable {
    private let events = Mutex<(all: [SupervisorEvent], last: UInt64)>(([], 0))
    private let collector = Mutex<Task<Void, Never>?>(nil)

    /// Starts collecting `observation`'s events (those after its snapshot).
    init(_ observation: TreeObservation) {
        events.withLock { $0.last = observation.snapshot.sequence }
        let stream = observation.events
        let task = Task { [self] in
            for await event in stream { append(event) }
        }
        collector.withLock { $0 = task }
    }

    private func append(_ event: SupervisorEvent) {
        events.withLock { log in
            log.all.append(event)
            log.last = event.sequence
        }
    }

    /// The events after number `sequence`, and whether every event up to `upTo` has arrived.
    func events(after sequence: UInt64, upTo: UInt64) -> (events: [SupervisorEvent], complete: Bool) {
        events.withLock { log in (log.all.filter { $0.sequence > sequence }, log.last >= upTo) }
    }

    /// Stops collecting.
    func close() { collector.withLock { $0?.cancel() } }
}
