import AshFlare
import Testing

/// The engine's rules as pure functions, each with its table (``RestartRound``, ``ChildOperation``,
/// ``RestartIntensity/isExceeded(byRestarts:)``).
@Suite("Rules (pure tables)")
struct RulesTests {
    static let live = RestartRound.Member(isActive: true, policy: .permanent)
    static let stopped = RestartRound.Member(isActive: false, policy: .permanent)
    static let temporary = RestartRound.Member(isActive: true, policy: .temporary)

    @Test("restart round: strategy × failed position × siblings", arguments: [
        // strategy, failed, members, stop (reverse order), drop, start (in order)
        (RestartStrategy.oneForOne, 1, [live, live, live], [Int](), [Int](), [1]),
        (.oneForAll, 1, [live, live, live], [2, 0], [], [0, 1, 2]),
        (.oneForAll, 0, [live, stopped, live], [2], [], [0, 1, 2]),
        (.oneForAll, 2, [temporary, live, live], [1, 0], [0], [1, 2]),
        (.restForOne, 1, [live, live, live, live], [3, 2], [], [1, 2, 3]),
        (.restForOne, 3, [live, live, live, live], [], [], [3]),
        (.restForOne, 0, [live, temporary, stopped], [1], [1], [0, 2]),
    ])
    func round(strategy: RestartStrategy, failed: Int, members: [RestartRound.Member], stop: [Int], drop: [Int], start: [Int]) {
        var members = members
        members[failed].isActive = false  // the failed child has exited
        let round = RestartRound.plan(strategy, failed: failed, members: members)
        #expect(round.stop == stop)
        #expect(round.drop == drop)
        #expect(round.start == start)
    }

    @Test("operation × child state → allowed or the refusal's code", arguments: [
        (ChildOperation.kill, ChildState.running, SupervisorError.Code?.none),
        (.kill, .starting, nil), (.kill, .stopping, .childNotRunning), (.kill, .backingOff(until: .zero), .childNotRunning),
        (.kill, .stopped, .childNotRunning), (.kill, .failed, .childNotRunning), (.kill, .abandoned, .childNotRunning),
        (.terminate, .running, nil), (.terminate, .stopping, nil), (.terminate, .backingOff(until: .zero), nil), (.terminate, .stopped, nil),
        (.restart, .running, .childRunning), (.restart, .starting, .childRunning), (.restart, .stopping, .childRunning),
        (.restart, .backingOff(until: .zero), .childRestarting), (.restart, .stopped, nil), (.restart, .failed, nil), (.restart, .abandoned, nil),
        (.delete, .running, .childRunning), (.delete, .stopping, .childRunning), (.delete, .backingOff(until: .zero), .childRestarting),
        (.delete, .stopped, nil), (.delete, .failed, nil), (.delete, .abandoned, nil),
    ])
    func operation(operation: ChildOperation, state: ChildState, refusal: SupervisorError.Code?) {
        #expect(state.refusal(of: operation) == refusal)
        #expect(state.allows(operation) == (refusal == nil))
    }

    @Test("intensity: maxRestarts restarts are allowed, one more exceeds it", arguments: [(0, 0, false), (0, 1, true), (3, 3, false), (3, 4, true)])
    func intensity(max: Int, restarts: Int, exceeded: Bool) {
        #expect(RestartIntensity(maxRestarts: max, within: .seconds(5)).isExceeded(byRestarts: restarts) == exceeded)
    }
}
