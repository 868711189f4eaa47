import AshFlare
import AshFlareTestKit

/// Runs one scenario on AshFlare through its public API: backoff off, a ``ManualClock`` that
/// never moves (so every restart falls in the intensity window, as OTP's hour-long period does),
/// and each step followed by ``Settler/settle(stepStart:awaitedExit:)``.
struct ScenarioRunner {
    let scenario: Scenario
    private let board = WorkerBoard()

    init(_ scenario: Scenario) { self.scenario = scenario }

    /// Runs the start and the steps until the root is gone; shuts the tree down.
    func run() async -> ScenarioResult {
        for (path, count) in scenario.initialFails { board.armFailures(path, count: count) }
        let rootSpec = SpecBuilder(board: board, period: .seconds(scenario.periodSeconds)).supervisor(scenario.tree)
        let tree: SupervisorHandle
        do {
            tree = try await SupervisorHandle.start(rootSpec, clock: ManualClock(), options: SupervisionOptions(eventBufferSize: 1 << 16))
        } catch {
            return ScenarioResult(seed: scenario.seed, steps: [emptyObservation(op: "start", result: Observation.result(of: error))])
        }
        let observation = tree.observe()
        let log = EventLog(observation.events)
        let settler = Settler(tree: tree, events: log)
        // Escalations before the subscription are read from the snapshot (the only gap of events).
        let earlyEscalations = observation.snapshot.allNodes.filter { $0.lastExit == .escalated }.map(\.path.description)
        var observations: [Observation] = []
        var stepStart: UInt64 = 0
        var view: TreeView
        do {
            view = try await settler.settle(stepStart: observation.snapshot.sequence)
            observations.append(observe(0, op: "start", result: "ok", view: view, log: log, after: 0, plus: earlyEscalations))
            for (index, step) in scenario.steps.enumerated() {
                guard tree.snapshot().root.state == .running else { break }
                stepStart = tree.snapshot().sequence
                let operations = StepPerformer(tree: tree, board: board, view: view, period: .seconds(scenario.periodSeconds))
                let (result, awaitedExit) = await operations.perform(step)
                view = try await settler.settle(stepStart: stepStart, awaitedExit: awaitedExit)
                observations.append(observe(index + 1, op: step.op, result: result, view: view, log: log, after: stepStart))
            }
        } catch {
            observations.append(emptyObservation(op: "settle", result: "never_settled"))
        }
        await tree.shutdown()
        log.close()
        return ScenarioResult(seed: scenario.seed, steps: observations)
    }

    private func observe(
        _ index: Int, op: String, result: String, view: TreeView, log: EventLog, after sequence: UInt64, plus early: [String] = []
    ) -> Observation {
        let events = log.events(after: sequence, upTo: 0).events
        let escalated = events.compactMap { event -> String? in
            if case .escalated(let supervisor) = event.kind { return supervisor.description }
            return nil
        }
        let (starts, failed) = board.counts
        return Observation(
            i: index, op: op, result: result, alive: view.alive, specs: view.specs, starts: starts, failed: failed,
            started: board.takeStarted(), escalated: (early + escalated).sorted())
    }

    private func emptyObservation(op: String, result: String) -> Observation {
        let (starts, failed) = board.counts
        return Observation(i: 0, op: op, result: result, alive: [], specs: [], starts: starts, failed: failed,
                           started: board.takeStarted(), escalated: [])
    }
}
