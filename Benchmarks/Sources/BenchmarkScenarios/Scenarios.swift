import AshFlare
import AshFlareTestKit
import Synchronization

// The benchmark scenarios of docs/BENCHMARKS.md, shared by the package-benchmark suite and the
// `ashflare-profile` driver (which runs them under valgrind). Each fixture separates what is
// measured (`run…`) from what is not (`start`/`stop`).

/// Scenarios 1 and 2: a one-for-one supervisor with one permanent worker that crashes at once.
public final class CrashLoopFixture: Sendable {
    public let gate = CrashGate()
    public let withObserver: Bool
    public let intensity: RestartIntensity
    private let tree = Mutex<SupervisorHandle?>(nil)
    private let observer = Mutex<Task<Void, Never>?>(nil)
    /// Events the observer received (including `lagged` markers).
    private let observedEvents = Atomic<Int>(0)
    /// Events the observer was told it missed.
    private let missedEvents = Atomic<Int>(0)

    public init(withObserver: Bool, intensity: RestartIntensity = unboundedIntensity) {
        self.withObserver = withObserver
        self.intensity = intensity
    }

    public var eventsObserved: Int { observedEvents.load(ordering: .relaxed) }
    public var eventsMissed: Int { missedEvents.load(ordering: .relaxed) }

    public func start() async throws {
        let gate = self.gate
        let spec = SupervisorSpec("root", strategy: .oneForOne, intensity: intensity) {
            ChildSpec.worker("a", restart: .permanent, backoff: .none) { GatedCrashWorker(gate: gate) }
        }
        let handle = try await SupervisorHandle.start(spec)
        tree.withLock { $0 = handle }
        if withObserver {
            let events = handle.events()
            let task = Task { [self] in
                for await event in events {
                    observedEvents.add(1, ordering: .relaxed)
                    if case .lagged(let count) = event.kind { missedEvents.add(Int(count), ordering: .relaxed) }
                }
            }
            observer.withLock { $0 = task }
        }
        // Let the first incarnation park, so every round starts from the same state.
        await gate.run(cycles: 1)
    }

    /// Runs exactly `cycles` crash → restart cycles.
    public func runCycles(_ cycles: Int) async {
        await gate.run(cycles: cycles)
    }

    public func stop() async {
        let handle = tree.withLock { $0.take() }
        await handle?.shutdown()
        let task = observer.withLock { $0.take() }
        await task?.value
    }
}

/// Scenario 3: one one-for-one supervisor with `count` idle workers.
public enum FlatTree {
    /// The spec: `count` permanent idle workers named `w0`, `w1`, … under `root`.
    public static func spec(children count: Int, tally: Tally? = nil) -> SupervisorSpec {
        var children: [ChildSpec] = []
        children.reserveCapacity(count)
        for index in 0..<count {
            children.append(ChildSpec.worker("w\(index)", restart: .permanent, backoff: .none) {
                tally?.increment()
                return IdleWorker()
            })
        }
        return SupervisorSpec("root", strategy: .oneForOne, intensity: unboundedIntensity, children: children)
    }
}

/// Scenario 4: a one-for-all supervisor whose first child crashes on demand; every other child idles.
public final class OneForAllFixture: Sendable {
    public let children: Int
    public let gate = CrashGate()
    public let tally = Tally()
    private let tree = Mutex<SupervisorHandle?>(nil)

    public init(children: Int) {
        precondition(children >= 1)
        self.children = children
    }

    public func start() async throws {
        let gate = self.gate
        let tally = self.tally
        var specs: [ChildSpec] = [
            ChildSpec.worker("trigger", restart: .permanent, backoff: .none) {
                tally.increment()
                return GatedCrashWorker(gate: gate)
            },
        ]
        for index in 1..<children {
            specs.append(ChildSpec.worker("w\(index)", restart: .permanent, backoff: .none) {
                tally.increment()
                return IdleWorker()
            })
        }
        let spec = SupervisorSpec("root", strategy: .oneForAll, intensity: unboundedIntensity, children: specs)
        let handle = try await SupervisorHandle.start(spec)
        tree.withLock { $0 = handle }
        await tally.wait(untilReaches: children)
    }

    /// One crash of the first child, then waits until every child was started again.
    public func runRound() async {
        let target = tally.count + children
        gate.release(cycles: 1)
        await tally.wait(untilReaches: target)
    }

    public func stop() async {
        let handle = tree.withLock { $0.take() }
        await handle?.shutdown()
    }
}

/// Scenario 5: root → `fanOut` supervisors → `fanOut` supervisors each → `fanOut` idle workers each.
public enum DeepTree {
    /// The number of nodes of a depth-3 tree with fan-out `fanOut`, the root included.
    public static func nodeCount(fanOut: Int) -> Int { 1 + fanOut + fanOut * fanOut + fanOut * fanOut * fanOut }

    public static func spec(fanOut: Int = 10) -> SupervisorSpec {
        SupervisorSpec("root", strategy: .oneForOne, intensity: unboundedIntensity) {
            for a in 0..<fanOut {
                SupervisorSpec("s\(a)", strategy: .oneForOne, intensity: unboundedIntensity) {
                    for b in 0..<fanOut {
                        SupervisorSpec("s\(a)-\(b)", strategy: .oneForOne, intensity: unboundedIntensity) {
                            for c in 0..<fanOut {
                                ChildSpec.worker("w\(a)-\(b)-\(c)", restart: .permanent, backoff: .none) { IdleWorker() }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A holder for a started tree across a benchmark's setup, iterations and teardown.
public final class TreeHolder: Sendable {
    private let tree = Mutex<SupervisorHandle?>(nil)

    public init() {}

    public var handle: SupervisorHandle {
        guard let handle = tree.withLock({ $0 }) else { preconditionFailure("tree not started") }
        return handle
    }

    public func start(_ spec: SupervisorSpec) async throws {
        let handle = try await SupervisorHandle.start(spec)
        tree.withLock { $0 = handle }
    }

    public func stop() async {
        let handle = tree.withLock { $0.take() }
        await handle?.shutdown()
    }
}
