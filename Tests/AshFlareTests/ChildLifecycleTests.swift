@testable import AshFlare
import AshFlareTestKit
import Testing

/// ``ChildRecord/apply(_:)``: every life-cycle event from every state, and the state after an exit.
@Suite("Child life cycle (pure)")
struct ChildLifecycleTests {
    /// The states a record can be in, each reached the way the engine reaches it.
    enum From: String, CaseIterable, CustomTestStringConvertible {
        case stopped, starting, running, stopping, backingOff, scheduled, failed, abandoned
        var testDescription: String { rawValue }
    }

    /// The events, about the record's current execution unless `stale`.
    enum Event: String, CaseIterable {
        case launch, initialized, initializedStale, stopping, stoppingStale, ended, endedStale
        case scheduleWithDelay, scheduleNow, cancel
    }

    static let delayUntil = Duration.seconds(5)

    /// The state after each event, in ``Event``'s order; nil where the record refuses it.
    static let table: [From: [ChildState?]] = {
        let b = ChildState.backingOff(until: delayUntil)
        //               launch     init      initStale stop       stopStale ended     endedStale delay now        cancel
        return [
            .stopped:    [.starting, nil,      nil,      nil,       nil,      nil,      nil,       b,    .starting, nil],
            .starting:   [nil,       .running, nil,      .stopping, nil,      .stopped, nil,       nil,  nil,       nil],
            .running:    [nil,       nil,      nil,      .stopping, nil,      .stopped, nil,       nil,  nil,       nil],
            .stopping:   [nil,       nil,      nil,      .stopping, nil,      .stopped, nil,       nil,  nil,       nil],
            .backingOff: [.starting, nil,      nil,      nil,       nil,      nil,      nil,       b,    .starting, .stopped],
            .scheduled:  [.starting, nil,      nil,      nil,       nil,      nil,      nil,       nil,  nil,       .stopped],
            .failed:     [.starting, nil,      nil,      nil,       nil,      nil,      nil,       b,    .starting, nil],
            .abandoned:  [.starting, nil,      nil,      nil,       nil,      nil,      nil,       b,    .starting, nil],
        ]
    }()

    static func record(_ from: From) -> ChildRecord {
        var record = ChildRecord(spec: .worker("w", backoff: .none) { IdleWorker() }, path: "root/w")
        func launch() {
            record.apply(.launched(ChildExecution(incarnation: record.incarnation + 1, id: record.executionID + 1), nested: nil, at: .zero))
        }
        switch from {
        case .stopped: break
        case .starting: launch()
        case .running, .stopping:
            launch()
            record.apply(.initialized(executionID: record.executionID, at: .zero))
            if from == .stopping { record.apply(.stopping(record.execution!)) }
        case .backingOff: record.apply(.restartScheduled(until: .seconds(1), round: 7))
        case .scheduled: record.apply(.restartScheduled(until: nil, round: 7))
        case .failed, .abandoned:
            launch()
            record.apply(.ended(record.execution!, from == .failed ? .escalated : .abandoned, at: .zero))
        }
        return record
    }

    static func event(_ event: Event, for record: ChildRecord) -> ChildLifecycleEvent {
        let current = record.execution ?? ChildExecution(incarnation: 99, id: 99)
        let stale = ChildExecution(incarnation: record.incarnation, id: 1_000)
        return switch event {
        case .launch: .launched(ChildExecution(incarnation: record.incarnation + 1, id: 500), nested: nil, at: .seconds(2))
        case .initialized: .initialized(executionID: record.execution?.id ?? 99, at: .seconds(2))
        case .initializedStale: .initialized(executionID: 1_000, at: .seconds(2))
        case .stopping: .stopping(current)
        case .stoppingStale: .stopping(stale)
        case .ended: .ended(current, .killed, at: .seconds(2))
        case .endedStale: .ended(stale, .killed, at: .seconds(2))
        case .scheduleWithDelay: .restartScheduled(until: delayUntil, round: 8)
        case .scheduleNow: .restartScheduled(until: nil, round: 8)
        case .cancel: .restartCancelled
        }
    }

    @Test("every event from every state: the state after it, or refused with nothing changed", arguments: From.allCases)
    func table(from: From) {
        let before = Self.record(from)
        #expect(before.state == Self.record(from).state)
        for (column, kind) in Event.allCases.enumerated() {
            var record = before
            let applied = record.apply(Self.event(kind, for: record))
            let expected = Self.table[from]![column]
            #expect(applied == (expected != nil), "\(from) + \(kind)")
            if let expected {
                #expect(record.state == expected, "\(from) + \(kind)")
            } else {
                #expect(record.state == before.state && record.incarnation == before.incarnation
                        && record.restartCount == before.restartCount && record.lastExit == before.lastExit,
                        "\(from) + \(kind) refused but changed the record")
            }
        }
    }

    @Test("launched counts the incarnation and takes the execution's id; ended records the exit and lets go of the execution")
    func fields() {
        var record = Self.record(.stopped)
        let execution = ChildExecution(incarnation: 1, id: 42)
        let applied1 = record.apply(.launched(execution, nested: nil, at: .seconds(3)))
        #expect(applied1)
        #expect(record.incarnation == 1 && record.executionID == 42 && record.startedAt == .seconds(3))
        let applied2 = record.apply(.ended(execution, .error("boom"), at: .seconds(4)))
        #expect(applied2)
        #expect(record.lastExit == .error("boom") && record.lastExitAt == .seconds(4) && record.execution == nil)
        #expect(record.incarnation == 1 && record.executionID == 42)
    }

    @Test("a scheduled restart counts once and names its round; cancelling it forgets the round")
    func scheduling() {
        var record = Self.record(.stopped)
        let applied3 = record.apply(.restartScheduled(until: .seconds(1), round: 3))
        #expect(applied3)
        #expect(record.restartCount == 1 && record.restartToken == 3)
        let applied4 = record.apply(.restartCancelled)
        #expect(applied4)
        #expect(record.restartToken == nil && record.restartCount == 1)
    }

    @Test("an execution that ran at least the backoff's reset time starts the backoff over; a shorter one does not",
          arguments: [(Duration.seconds(9), UInt32(2)), (.seconds(10), 0), (.seconds(11), 0)])
    func backoffReset(ranFor: Duration, attemptAfter: UInt32) {
        var record = ChildRecord(
            spec: .worker("w", backoff: Backoff(initial: .milliseconds(100), maximum: .seconds(1), resetAfter: .seconds(10))) { IdleWorker() },
            path: "root/w")
        let execution = ChildExecution(incarnation: 1, id: 1)
        record.apply(.launched(execution, nested: nil, at: .zero))
        record.backoffAttempt = 2
        record.apply(.ended(execution, .killed, at: ranFor))
        #expect(record.backoffAttempt == attemptAfter)
    }

    @Test("the state after an exit: failed for a supervisor that gave up, abandoned for a task left behind, else stopped",
          arguments: [(ChildExitReason.escalated, ChildState.failed), (.abandoned, .abandoned), (.normal, .stopped),
                      (.shutdown, .stopped), (.killed, .stopped), (.error("x"), .stopped), (.stopped(.killedAtOnce), .stopped)])
    func stateAfterExit(reason: ChildExitReason, state: ChildState) {
        #expect(ChildState(after: reason) == state)
    }
}
