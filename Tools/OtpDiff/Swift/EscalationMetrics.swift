import CoreMetrics
import Synchronization

/// A metrics factory that records which supervisors gave up, from the tree's very start: each
/// increment of `ashflare_escalations_total` (dimension `supervisor`, README "Logging and
/// metrics") appends that supervisor's path. Every other metric goes nowhere.
///
/// Escalation events would miss what happens before the runner can subscribe (during
/// `SupervisorHandle.start`); the counter is incremented where the event is emitted.
final class EscalationMetrics: MetricsFactory, Sendable {
    private let escalated = Mutex<[String]>([])

    /// The supervisors that gave up since the last call, in order.
    func takeEscalated() -> [String] {
        escalated.withLock { all in
            defer { all = [] }
            return all
        }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        guard label == "ashflare_escalations_total",
              let supervisor = dimensions.first(where: { $0.0 == "supervisor" })?.1 else { return Ignored() }
        return Escalations(supervisor: supervisor, factory: self)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { Ignored() }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { Ignored() }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    fileprivate func record(_ supervisor: String, times: Int64) {
        escalated.withLock { $0.append(contentsOf: repeatElement(supervisor, count: Int(times))) }
    }

    private final class Escalations: CounterHandler, Sendable {
        let supervisor: String
        let factory: EscalationMetrics
        init(supervisor: String, factory: EscalationMetrics) {
            self.supervisor = supervisor
            self.factory = factory
        }
        func increment(by amount: Int64) { factory.record(supervisor, times: amount) }
        func reset() {}
    }

    private final class Ignored: CounterHandler, RecorderHandler, TimerHandler, Sendable {
        func increment(by amount: Int64) {}
        func reset() {}
        func record(_ value: Int64) {}
        func record(_ value: Double) {}
        func recordNanoseconds(_ duration: Int64) {}
    }
}
