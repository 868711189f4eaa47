import AshFlare
import Logging

/// Captures a server's log records so tests can check them and await one.
final class LogRecorder: Sendable {
    /// One captured record.
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private struct State {
        var records: [Record] = []
        var waiters: [(predicate: @Sendable (Record) -> Bool, continuation: CheckedContinuation<Record, Never>)] = []
        var countWaiters: [(count: Int, predicate: @Sendable (Record) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Locked(State())

    /// A logger that records here.
    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    /// The records so far.
    var records: [Record] { state.withLock { $0.records } }

    /// Waits for a record satisfying `predicate` (already captured, or the next such one).
    @discardableResult
    func first(where predicate: @escaping @Sendable (Record) -> Bool) async -> Record {
        await withCheckedContinuation { continuation in
            let found = state.withLock { state -> Record? in
                if let record = state.records.first(where: predicate) { return record }
                state.waiters.append((predicate, continuation))
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }

    /// Waits until `count` records satisfy `predicate`.
    func wait(forCount count: Int, where predicate: @escaping @Sendable (Record) -> Bool) async {
        await withCheckedContinuation { continuation in
            let enough = state.withLock { state -> Bool in
                if state.records.count(where: predicate) >= count { return true }
                state.countWaiters.append((count, predicate, continuation))
                return false
            }
            if enough { continuation.resume() }
        }
    }

    /// Waits for the server to close a connection with `reason` (a ``RemoteError`` code name).
    @discardableResult
    func closed(because reason: String) async -> Record {
        await first(where: Self.closing(because: reason))
    }

    /// Whether a record is the server closing a connection with `reason`.
    static func closing(because reason: String) -> @Sendable (Record) -> Bool {
        { $0.message == "closing connection" && $0.metadata["remote.reason"] == reason }
    }

    fileprivate func append(_ record: Record) {
        let ready = state.withLock { state -> ([CheckedContinuation<Record, Never>], [CheckedContinuation<Void, Never>]) in
            state.records.append(record)
            let ready = state.waiters.filter { $0.predicate(record) }.map(\.continuation)
            state.waiters.removeAll { $0.predicate(record) }
            let records = state.records
            let counted = state.countWaiters.filter { records.count(where: $0.predicate) >= $0.count }.map(\.continuation)
            state.countWaiters.removeAll { records.count(where: $0.predicate) >= $0.count }
            return (ready, counted)
        }
        for continuation in ready.0 { continuation.resume(returning: record) }
        for continuation in ready.1 { continuation.resume() }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            if let extra = event.metadata { merged.merge(extra) { $1 } }
            recorder.append(Record(
                level: event.level, message: event.message.description,
                metadata: merged.mapValues { "\($0)" }))
        }
    }
}
