import AshFlare

/// Carries out a ``ControlRequest`` through ``SupervisionControl``, refusing it when the target
/// is no longer the incarnation the user saw.
public enum ControlExecutor {
    /// Performs `request` on `control` and describes the outcome.
    public static func perform(_ request: ControlRequest, on control: any SupervisionControl) async -> ControlResult {
        let target = request.target
        do {
            let current = try await incarnation(of: target, in: control)
            guard current == request.incarnation else {
                return ControlResult(
                    request: request, succeeded: false,
                    message: "not \(request.action.pastTense): \(target) restarted since you chose it (#\(request.incarnation) is now #\(current)); press the key again")
            }
            var message = "\(request.action.pastTense) \(target) (#\(request.incarnation))"
            switch request.action {
            case .kill: try await control.kill(target)
            case .restart: try await control.restart(target)
            case .bounce:
                try await control.terminate(target)
                try await control.restart(target)
            case .terminate: try await control.terminate(target)
            case .delete: try await control.delete(target)
            case .shutdown:
                if target.parent == nil { try await control.shutdown() } else { try await control.terminate(target) }
            case .startChild(let template, let arguments):
                let path = try await control.startChild(template: template, arguments: arguments, under: target)
                message = "added \(path) from template \(template)"
            }
            return ControlResult(request: request, succeeded: true, message: message)
        } catch {
            let reason = (error as? SupervisorError).map { "\($0.code): \($0.message)" } ?? String(describing: error)
            return ControlResult(request: request, succeeded: false, message: "\(request.action.verb) \(target) failed: \(reason)")
        }
    }

    /// The current incarnation of the node at `path`.
    static func incarnation(of path: ChildPath, in control: any SupervisionControl) async throws -> UInt64 {
        guard let parent = path.parent else { return try await control.snapshot().root.incarnation }
        guard let child = try await control.whichChildren(of: parent).first(where: { $0.id == path.id }) else {
            throw SupervisorError(.childNotFound, "'\(path)' no longer exists")
        }
        return child.incarnation
    }
}
