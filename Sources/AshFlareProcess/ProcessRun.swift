import AshFlare
import Subprocess
import SystemPackage

/// One run of a process child: spawn it in its own process group, register the group with the
/// supervisor and the watchdog, pump its output into the child's log, watch readiness, and wait
/// for it to end.
struct ProcessRun: Sendable {
    let spec: ProcessSpec
    let executable: String
    let context: ChildContext
    let ready: ReadySignal

    /// Runs the process to its end; the reason its termination means. Never throws: a failure
    /// to spawn fails ``ready`` and ends as an error reason.
    func run() async -> ChildExitReason {
        var options = PlatformOptions()
        options.processGroupID = 0
        let reason: ChildExitReason
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(spec.arguments), environment: environment(),
                workingDirectory: spec.workingDirectory.map { FilePath($0) }, platformOptions: options,
                input: .none, output: .sequence, error: .sequence
            ) { execution in
                await supervise(execution)
            }
            reason = Self.reason(for: result.terminationStatus)
        } catch {
            let failure = ProcessChildError(.spawnFailed, "could not start '\(executable)' for '\(context.path)': \(error)")
            ready.fail(failure)
            return .error(failure.message)
        }
        ready.fail(ProcessChildError(.exitedBeforeReady, "'\(context.path)' ended before it was ready (\(reason))"))
        return reason
    }

    /// What a termination status means for the supervisor: status 0 is normal.
    static func reason(for status: TerminationStatus) -> ChildExitReason {
        switch status {
        case .exited(0): .normal
        case .exited(let code): .exitStatus(code)
        case .signaled(let number): .signal(number)
        }
    }

    private func environment() -> Environment {
        var variables: [Environment.Key: String] = [:]
        for (key, value) in spec.environment.variables { variables[Environment.Key(stringLiteral: key)] = value }
        guard spec.environment.inheritsParent else { return .custom(variables) }
        return .inherit.updating(variables.mapValues { Optional($0) })
    }

    private func supervise(_ execution: Execution<NoInput, SequenceOutput, SequenceOutput>) async {
        let group = ProcessGroup(id: execution.processIdentifier.value, clock: context.clock)
        OrphanWatchdog.shared.watch(group.id)
        if !context.enforceStops(with: group) { group.forceStop() }
        if spec.readiness.condition == .spawned { ready.succeed() }
        let probe = ReadinessProbe.start(spec.readiness, ready: ready, clock: context.clock)
        let pidfd = execution.processIdentifier.processDescriptor
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { tasks in
                tasks.addTask { await pump(execution.standardOutput, .stdout) }
                tasks.addTask { await pump(execution.standardError, .stderr) }
                tasks.addTask {
                    await ExitWatcher.shared.waitForExit(pidfd: pidfd)
                    group.mainProcessExited()
                }
            }
        } onCancel: {
            group.forceStop()
        }
        probe?.cancel()
        group.mainProcessExited()
        OrphanWatchdog.shared.forget(group.id)
    }

    private func pump(_ output: SubprocessOutputSequence, _ stream: LogStream) async {
        var splitter = LineSplitter(maxLineBytes: spec.maxLineBytes)
        let pattern: Regex<AnyRegexOutput>? = if stream == .stdout, case .outputLine(let text) = spec.readiness.condition {
            try? Regex(text)
        } else {
            nil
        }
        func deliver(_ line: String) {
            context.log?.append(line, stream: stream)
            if let pattern, !ready.isResolved, line.contains(pattern) { ready.succeed() }
        }
        do {
            for try await buffer in output {
                let lines = buffer.withUnsafeBytes { splitter.feed($0) }
                lines.forEach(deliver)
            }
        } catch {
            deliver("[output of \(stream) ended: \(error)]")
        }
        if let last = splitter.finish() { deliver(last) }
    }
}
