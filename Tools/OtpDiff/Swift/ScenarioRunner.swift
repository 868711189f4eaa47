import AshFlare
import AshFlareTestKit

/// Runs one scenario on AshFlare through its public API: backoff off, a ``ManualClock`` that
/// never moves (so every restart falls in the intensity window, as OTP's hour-long period does),
/// and each step followed by ``Settler/settle(stepStart:awaitedExit:)``.
struct ScenarioRunner {
    let scenario: Scenario
    private let board = WorkerBoard()
    private let metrics = EscalationMetrics()

    init(_ scenario: Scenario) { self.scenario = scenario }

    /// Runs the start and the steps until the root is gone; shuts the tree down.
    func run() async -> ScenarioResult {
        for (path, count) in scenario.initialFails { board.armFailures(path, count: count) }
        let rootSpec = SpecBuilder(board: board, period: .seconds(scenario.periodSeconds)).supervisor(scenario.tree)
        let tree: SupervisorHandle
        do {
            tree = try await SupervisorHandle.start(rootSpec, clock: ManualClock(), options: SupervisionOptions(eventBufferSize: 1 << 16, metricsFactory: metrics))
        } catch {
            return ScenarioResult(seed: scenario.seed, steps: [emptyObservation(op: "start", result: Observation.result(of: error))])
        }
        let observation = tree.observe()
        let log = EventLog(observation)
        let settler = Settler(tree: tree, events: log)
        var observations: [Observation] = []
        var stepStart: UInt64 = 0
        var view: TreeView
        do {
            view = try await settler.settle(stepStart: observation.snapshot.sequence)
            observations.append(observe(0, op: "start", result: "ok", view: view))
            for (index, step) in scenario.steps.enumerated() {
                guard tree.snapshot().root.state == .running else { break }
                stepStart = tree.snapshot().sequence
                let operations = StepPerformer(tree: tree, board: board, view: view, period: .seconds(scenario.periodSeconds))
                let (result, awaitedExit) = await operations.perform(step)
                view = try await settler.settle(stepStart: stepStart, awaitedExit: awaitedExit)
                observations.append(observe(index + 1, op: step.op, result: result, view: view))
            }
        } catch {
            observations.append(emptyObservation(op: "settle", result: "never_settled"))
        }
        await tree.shutdown()
        log.close()
        return ScenarioResult(seed: scenario.seed, steps: observations)
    }

    private func observe(_ index: Int, op: String, result: String, view: TreeView) -> Observation {
        let (starts, failed) = board.counts
        return Observation(
            i: index, op: op, result: result, alive: view.alive, specs: view.specs, starts: starts, failed: failed,
            started: board.takeStarted(), escalated: metrics.takeEscalated().sorted())
    }

    private func emptyObservation(op: String, result: String) -> Observation {
        let (starts, failed) = board.counts
        return Observation(i: 0, op: op, result: result, alive: [], specs: [], starts: starts, failed: failed,
                           started: board.takeStarted(), escalated: metrics.takeEscalated().sorted())
    }
}
