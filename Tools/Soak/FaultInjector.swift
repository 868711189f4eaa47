import AshFlare

/// Picks random nodes from fresh snapshots and applies random management operations.
/// `delete` terminates first, so deletions balance the children templates add.
struct FaultInjector {
    enum Operation: String, CaseIterable, Sendable {
        case kill, terminate, restart, delete, startFromTemplate, terminateSubtree, restartSubtree
    }

    let tree: SupervisorHandle

    /// Runs until `deadline`; returns how many operations of each kind were tried and their outcomes.
    func run(until deadline: ContinuousClock.Instant, report: SoakReport) async {
        var rng = SystemRandomNumberGenerator()
        while ContinuousClock.now < deadline {
            let nodes = tree.snapshot().allNodes.dropFirst()  // never the root
            // One pick in ten goes to the process children (otherwise ~1 % of the nodes).
            let processes = Int.random(in: 0..<10, using: &rng) == 0 ? nodes.filter { $0.path.description.hasPrefix("soak/procs/") } : []
            guard let node = processes.randomElement(using: &rng) ?? nodes.randomElement(using: &rng) else { break }
            let operation = pick(for: node, using: &rng)
            do {
                switch operation {
                case .kill: try await tree.kill(node.path)
                case .terminate, .terminateSubtree: try await tree.terminate(node.path)
                case .restart, .restartSubtree: try await tree.restart(node.path)
                case .delete:
                    try await tree.terminate(node.path)
                    try await tree.delete(node.path)
                case .startFromTemplate:
                    let supervisor = node.type == .supervisor ? node.path : (node.path.parent ?? node.path)
                    try await tree.startChild(template: "extra", arguments: ["\(Int.random(in: 0..<1000, using: &rng))"], under: supervisor)
                }
                report.recordFault(operation.rawValue, outcome: "ok")
            } catch let error as SupervisorError {
                report.recordFault(operation.rawValue, outcome: error.code.name)
            } catch {
                report.violation("\(operation) on \(node.path) threw a non-SupervisorError: \(error)")
            }
            await Task.yield()
        }
    }

    private func pick(for node: NodeSnapshot, using rng: inout SystemRandomNumberGenerator) -> Operation {
        let roll = Int.random(in: 0..<100, using: &rng)
        switch node.type {
        case .worker:
            return switch roll {
            case ..<45: .kill
            case ..<60: .terminate
            case ..<75: .restart
            case ..<85: .delete
            default: .startFromTemplate
            }
        case .supervisor:
            return switch roll {
            case ..<30: .kill
            case ..<45: .terminateSubtree
            case ..<75: .restartSubtree
            default: .startFromTemplate
            }
        }
    }
}
