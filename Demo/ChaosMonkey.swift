import AshFlare
import AshFlareDashboard

/// Kills a random running worker at a steady average rate, so the tree visibly heals.
///
/// Started by `--chaos RATE` and toggled by the dashboard's `c` key. Only workers are picked: a
/// killed worker is restarted by its supervisor's policy, and a burst of kills in one subtree
/// exceeds its intensity and escalates — which is the point of the demo.
final class ChaosMonkey: Sendable {
    /// The rate `c` starts with when `--chaos` was not given: one kill a second.
    static let defaultRate = 1.0

    private struct State {
        var rate: Double
        var task: Task<Void, Never>?
    }

    private let tree: SupervisorHandle
    private let clock: DemoClock
    private let state: Locked<State>

    /// A monkey for `tree`, idle until ``start()``; `rate` is kills per second.
    init(tree: SupervisorHandle, rate: Double = ChaosMonkey.defaultRate, clock: DemoClock) {
        self.tree = tree
        self.clock = clock
        self.state = Locked(State(rate: rate))
    }

    /// The header badge while the monkey runs.
    var badge: String? {
        state.withLock { $0.task == nil ? nil : "CHAOS \(Self.format($0.rate))/s" }
    }

    /// Starts killing (no-op when already running).
    func start() {
        state.withLock { state in
            guard state.task == nil else { return }
            let (tree, clock) = (self.tree, self.clock)
            let mean = Duration.milliseconds(Int64(1000 / state.rate))
            state.task = Task { await Self.run(tree: tree, mean: mean, clock: clock) }
        }
    }

    /// Stops killing.
    func stop() {
        state.withLock { state in
            state.task?.cancel()
            state.task = nil
        }
    }

    /// The `c` key: on if off, off if on.
    func toggle() -> CustomKeyOutcome {
        let running = state.withLock { $0.task != nil }
        if running {
            stop()
            return CustomKeyOutcome(message: "chaos monkey off", badge: nil)
        }
        start()
        let rate = state.withLock(\.rate)
        return CustomKeyOutcome(message: "chaos monkey on: killing a random worker about every \(Self.format(1 / rate)) s", badge: badge)
    }

    private static func run(tree: SupervisorHandle, mean: Duration, clock: DemoClock) async {
        var random = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            // Uniform in [0.5, 1.5] × mean: steady on average, not a metronome.
            let pause = mean * Double.random(in: 0.5...1.5, using: &random)
            do { try await clock.sleep(for: pause) } catch { return }
            guard let victim = victim(in: tree.snapshot(), using: &random) else { continue }
            try? await tree.kill(victim)
        }
    }

    /// A random running worker of `snapshot`, or nil when none is running.
    static func victim(in snapshot: TreeSnapshot, using random: inout some RandomNumberGenerator) -> ChildPath? {
        var workers: [ChildPath] = []
        func visit(_ node: NodeSnapshot) {
            if node.supervisor == nil, node.state == .running { workers.append(node.path) }
            node.children.forEach(visit)
        }
        visit(snapshot.root)
        return workers.randomElement(using: &random)
    }

    private static func format(_ rate: Double) -> String {
        let rounded = (rate * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
