import AshFlare

/// Carries out a ``ControlRequest`` through ``SupervisionControl``.
///
/// Kill, terminate, restart, delete (and a subtree shutdown, which is a terminate) go out as
/// **one** conditional call on the execution the user saw (``ControlRequest/execution``): the
/// tree checks and acts in one step, so a node that restarted in between is refused
/// (`staleExecution`) and left alone. There is no separate look-up first.
public enum ControlExecutor {
    /// Performs `request` on `control` and describes the outcome.
    public static func perform(_ request: ControlRequest, on control: any SupervisionControl) async -> ControlResult {
        let target = request.target
        let execution = request.execution
        do {
            var message = "\(request.action.pastTense) \(target) (#\(request.incarnation))"
            switch request.action {
            case .kill:
                if let execution { try await control.kill(target, ifExecution: execution) } else { try await control.kill(target) }
            case .restart:
                if let execution { try await control.restart(target, ifExecution: execution) } else { try await control.restart(target) }
            case .bounce:
                // Terminating keeps the execution id as the stopped child's last one, so the
                // restart is conditional on the same id: nothing else may restart it in between.
                if let execution {
                    try await control.terminate(target, ifExecution: execution)
                    try await control.restart(target, ifExecution: execution)
                } else {
                    try await control.terminate(target)
                    try await control.restart(target)
                }
            case .terminate:
                if let execution { try await control.terminate(target, ifExecution: execution) } else { try await control.terminate(target) }
            case .delete:
                if let execution { try await control.delete(target, ifExecution: execution) } else { try await control.delete(target) }
            case .shutdown:
                if target.parent == nil {
                    try await control.shutdown()
                } else if let execution {
                    try await control.terminate(target, ifExecution: execution)
                } else {
                    try await control.terminate(target)
                }
            case .startChild(let template, let arguments):
                let path = try await control.startChild(template: template, arguments: arguments, under: target)
                message = "added \(path) from template \(template)"
            }
            return ControlResult(request: request, succeeded: true, message: message)
        } catch let error as SupervisorError where error.code == .staleExecution {
            return ControlResult(
                request: request, succeeded: false,
                message: "\(target) restarted since you asked: not \(request.action.pastTense) (you saw #\(request.incarnation)); press the key again")
        } catch {
            let reason = (error as? SupervisorError).map { "\($0.code): \($0.message)" } ?? String(describing: error)
            return ControlResult(request: request, succeeded: false, message: "\(request.action.verb) \(target) failed: \(reason)")
        }
    }
}
