@testable import AshFlare
import AshFlareTestKit
import Testing

/// The pure restart logic, without any task.
@Suite("Supervisor state machine (pure)")
struct StateMachineTests {
    func state(_ strategy: RestartStrategy, policies: [RestartPolicy] = [.permanent, .permanent, .permanent],
               max: Int = 3) -> SupervisorState {
        let ids = ["a", "b", "c", "d"]
        let spec = SupervisorSpec("root", strategy: strategy, intensity: RestartIntensity(maxRestarts: max, within: .seconds(5)),
                                  children: zip(ids, policies).map { id, policy in
                                      ChildSpec.worker(id, restart: policy, backoff: .none) { IdleWorker() }
                                  })
        var state = SupervisorState(path: "root", spec: spec)
        state.phase = .running
        for id in state.childIDs { run(id, in: &state) }
        return state
    }

    /// Starts the next execution of `id` and marks it running, as the runtime would.
    func run(_ id: ChildID, in state: inout SupervisorState) {
        state.modifyRecord(id) { record in
            let execution = ChildExecution(incarnation: record.incarnation + 1, id: record.executionID + 100)
            record.apply(.launched(execution, nested: nil, at: .zero))
            record.apply(.initialized(executionID: execution.id, at: .zero))
        }
    }

    /// The exit of `id`'s current execution (or of a stale one, which is ignored).
    func exit(_ id: ChildID, _ reason: ChildExitReason, at now: Duration = .zero, stale: Bool = false,
              in state: inout SupervisorState) -> ExitPlan {
        let current = state.records[id]?.execution
        let execution = stale || current == nil ? ChildExecution(incarnation: 0, id: 0) : current!
        return state.exitPlan(for: id, execution: execution, reason: reason, now: now, random: 0)
    }

    @Test("strategy scopes", arguments: [
        (RestartStrategy.oneForOne, "b", [String](), ["b"]),
        (.oneForAll, "b", ["c", "a"], ["a", "b", "c"]),
        (.restForOne, "b", ["c"], ["b", "c"]),
        (.restForOne, "a", ["c", "b"], ["a", "b", "c"]),
        (.restForOne, "c", [], ["c"]),
    ])
    func scopes(strategy: RestartStrategy, failed: String, stop: [String], start: [String]) {
        var machine = state(strategy)
        guard case .restart(let plan) = exit(failed, .killed, in: &machine) else {
            Issue.record("expected a restart")
            return
        }
        #expect(plan.stop == stop)
        #expect(plan.start == start)
        #expect(plan.drop == [])
    }

    @Test("a stale incarnation or an unknown child is ignored")
    func staleIgnored() {
        var machine = state(.oneForOne)
        #expect(exit("a", .killed, stale: true, in: &machine) == .ignore)
        #expect(exit("zz", .killed, in: &machine) == .ignore)
        #expect(machine.records["a"]!.state == .running)
    }

    @Test("intensity: max restarts pass, the next escalates; exits that are not restarted consume nothing")
    func intensity() {
        var machine = state(.oneForOne, policies: [.permanent, .transient, .temporary], max: 2)
        #expect(exit("b", .normal, in: &machine) == .settled)
        #expect(exit("c", .killed, in: &machine) == .settled)
        for restart in 1...2 {
            guard case .restart = exit("a", .killed, at: .seconds(1), in: &machine) else {
                Issue.record("restart \(restart) should be allowed")
                return
            }
            run("a", in: &machine)
        }
        #expect(exit("a", .killed, at: .seconds(1), in: &machine) == .escalate)
    }

    /// OTP's boundary (`add_restart/3` keeps `R >= Now - Period`): the age of the first of two
    /// restarts when the second is recorded → whether the second exceeds `1 in 5 s`.
    static let boundary: [(age: Duration, exceeds: Bool, counted: Int)] = [
        (.seconds(4), true, 2),
        (.nanoseconds(4_999_999_999), true, 2),
        (.seconds(5), true, 2),  // exactly one period old: still in the window, as in OTP
        (.nanoseconds(5_000_000_001), false, 1),
        (.seconds(6), false, 1),
    ]

    @Test("a restart exactly one period old still counts; one a moment older has left the window", arguments: boundary)
    func window(_ row: (age: Duration, exceeds: Bool, counted: Int)) {
        let intensity = RestartIntensity(maxRestarts: 1, within: .seconds(5))
        var window = IntensityWindow(intensity)
        #expect(window.recordRestart(at: .seconds(10)) == false)
        #expect(window.recordRestart(at: .seconds(10) + row.age) == row.exceeds)
        #expect(window.count(at: .seconds(10) + row.age) == row.counted)
        #expect(intensity.window(contains: .seconds(10), at: .seconds(10) + row.age) == (row.counted == 2))
    }

    @Test("the window holds a bounded number of instants however many restarts pass through it")
    func windowBounded() {
        var window = IntensityWindow(RestartIntensity(maxRestarts: 1_000_000, within: .seconds(1)))
        for step in 0..<100_000 { _ = window.recordRestart(at: .milliseconds(step)) }
        #expect(window.instants.count <= 1_001)
    }
}
