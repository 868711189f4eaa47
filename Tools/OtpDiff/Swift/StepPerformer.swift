import AshFlare

/// Performs one scenario step on AshFlare and names its result as the OTP runner does.
///
/// Like the OTP runner, an op on a node whose parent is not a running supervisor answers
/// `parent_down` without calling the tree, and `exit` of anything but a running worker answers
/// `not_running`.
struct StepPerformer {
    let tree: SupervisorHandle
    let board: WorkerBoard
    /// The tree as the previous step left it.
    let view: TreeView
    /// The intensity period of supervisors the step adds.
    let period: Duration

    /// Performs `step`; returns its result and the worker exit the settler must wait for.
    func perform(_ step: Scenario.Step) async -> (result: String, awaitedExit: (path: String, incarnation: UInt64)?) {
        switch step.op {
        case "exit":
            let path = step.path ?? ""
            guard let incarnation = view.workerIncarnations[path] else { return ("not_running", nil) }
            board.send(step.reason == "normal" ? .exitNormally : .crash, to: path, incarnation: incarnation)
            return ("ok", (path, incarnation))
        case "fail_starts":
            board.armFailures(step.path ?? "", count: step.count ?? 0)
            return ("ok", nil)
        case "start_child":
            let under = step.under ?? ""
            guard view.supervisors.contains(where: { $0.description == under }), let child = step.child else {
                return ("parent_down", nil)
            }
            let spec = SpecBuilder(board: board, period: period).child(child)
            return (await outcome { try await tree.startChild(spec, under: ChildPath(components: under.split(separator: "/").map(String.init))) }, nil)
        default:
            let path = ChildPath(components: (step.path ?? "").split(separator: "/").map(String.init))
            guard let parent = path.parent, view.supervisors.contains(parent) else { return ("parent_down", nil) }
            return (await outcome { try await childOperation(step.op, path) }, nil)
        }
    }

    private func childOperation(_ op: String, _ path: ChildPath) async throws {
        switch op {
        case "kill": try await tree.kill(path)
        case "terminate": try await tree.terminate(path)
        case "restart": try await tree.restart(path)
        case "delete": try await tree.delete(path)
        default: throw UnknownOperation(name: op)
        }
    }

    private func outcome(_ body: () async throws -> Void) async -> String {
        do {
            try await body()
            return "ok"
        } catch {
            return Observation.result(of: error)
        }
    }
}

/// A scenario step with an operation neither runner knows.
struct UnknownOperation: Error, CustomStringConvertible {
    /// The operation's name.
    var name: String
    var description: String { "unknown operation '\(name)'" }
}
