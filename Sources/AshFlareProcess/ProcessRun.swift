import AshFlare
import CAshFlareProcess
import Subprocess
import Synchronization
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

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
        // Our own pipes, read by the OutputPump: the child gets the write ends (closed here once
        // it is spawned), the pump the read ends.
        var stdout: [Int32] = [-1, -1], stderr: [Int32] = [-1, -1]
        guard ashflare_pipe_cloexec(&stdout) == 0 else { return spawnFailed("no pipe for stdout: errno \(errno)") }
        guard ashflare_pipe_cloexec(&stderr) == 0 else {
            close(stdout[0])
            close(stdout[1])
            return spawnFailed("no pipe for stderr: errno \(errno)")
        }
        let writeEnds = [PipeEnd(stdout[1]), PipeEnd(stderr[1])]
        // Set once the pump owns the read ends (it closes them at end of file): after that they
        // must never be closed here, even if swift-subprocess throws after the body ran — their
        // numbers may name another child's pipes by then.
        let pumping = Atomic<Bool>(false)
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(spec.arguments), environment: environment(),
                workingDirectory: spec.workingDirectory.map { FilePath($0) }, platformOptions: options,
                input: .none,
                output: .fileDescriptor(FileDescriptor(rawValue: stdout[1]), closeAfterSpawningProcess: true),
                error: .fileDescriptor(FileDescriptor(rawValue: stderr[1]), closeAfterSpawningProcess: true)
            ) { execution in
                pumping.store(true, ordering: .relaxed)
                await supervise(execution, stdout: stdout[0], stderr: stderr[0])
            }
            reason = Self.reason(for: result.terminationStatus)
        } catch {
            // swift-subprocess closes the write ends once it has spawned, or failed to; an error
            // thrown before that (cancellation) leaves them open: close them if they are still ours.
            writeEnds.forEach { $0.closeIfStillOpen() }
            guard pumping.load(ordering: .relaxed) else {
                close(stdout[0])
                close(stderr[0])
                return spawnFailed("\(error)")
            }
            reason = .error("'\(context.path)' ran, then swift-subprocess failed: \(error)")
        }
        ready.fail(ProcessChildError(.exitedBeforeReady, "'\(context.path)' ended before it was ready (\(reason))"))
        return reason
    }

    /// Fails ``ready`` with a spawn failure naming the executable and the child.
    private func spawnFailed(_ cause: String) -> ChildExitReason {
        let failure = ProcessChildError(.spawnFailed, "could not start '\(executable)' for '\(context.path)': \(cause)")
        ready.fail(failure)
        return .error(failure.message)
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

    private func supervise(_ execution: Execution<NoInput, FileDescriptorOutput, FileDescriptorOutput>, stdout: Int32, stderr: Int32) async {
        let group = ProcessGroup(id: execution.processIdentifier.value, clock: context.clock)
        OrphanWatchdog.shared.watch(group.id)
        if !context.enforceStops(with: group) { group.forceStop() }
        if spec.readiness.condition == .spawned { ready.succeed() }
        let probe = ReadinessProbe.start(spec.readiness, ready: ready, clock: context.clock)
        let pidfd = execution.processIdentifier.processDescriptor
        // No task per pipe or per exit: the pump's and the exit watcher's threads call back, and
        // the last of the three ends resumes this one.
        let stdoutLines = lineHandler(.stdout), stderrLines = lineHandler(.stderr), maxLineBytes = spec.maxLineBytes
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let countdown = Countdown(3) { continuation.resume() }
                OutputPump.shared.start(stdout, maxLineBytes: maxLineBytes, deliver: stdoutLines, ended: countdown.tick)
                OutputPump.shared.start(stderr, maxLineBytes: maxLineBytes, deliver: stderrLines, ended: countdown.tick)
                ExitWatcher.shared.onExit(pidfd: pidfd) {
                    group.mainProcessExited()
                    countdown.tick()
                }
            }
        } onCancel: {
            group.forceStop()
        }
        probe?.cancel()
        group.mainProcessExited()
        OrphanWatchdog.shared.forget(group.id)
    }

    /// Where the lines of one of the child's output pipes go: its log, and on standard output
    /// the readiness pattern.
    private func lineHandler(_ stream: LogStream) -> @Sendable (String) -> Void {
        let pattern: ReadinessPattern? = if stream == .stdout, case .outputLine(let text) = spec.readiness.condition {
            (try? Regex(text)).map(ReadinessPattern.init)
        } else {
            nil
        }
        let log = context.log
        let ready = ready
        return { line in
            log?.append(line, stream: stream)
            if let pattern, !ready.isResolved, line.contains(pattern.regex) { ready.succeed() }
        }
    }
}

/// Calls its action once it has been ticked `count` times.
private final class Countdown: Sendable {
    private let remaining: Locked<Int>
    private let action: @Sendable () -> Void

    init(_ count: Int, action: @escaping @Sendable () -> Void) {
        remaining = Locked(count)
        self.action = action
    }

    @Sendable func tick() {
        let last = remaining.withLock { remaining in
            remaining -= 1
            return remaining == 0
        }
        if last { action() }
    }
}

/// The readiness regex, handed to the output pump's thread.
// @unchecked: `Regex<AnyRegexOutput>` is not Sendable only because of its output type; this one
// is never mutated and is matched on the pump's one thread.
private final class ReadinessPattern: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
}

/// A descriptor and the inode it referred to when it was made, so it can be closed later only if
/// that number still names the same pipe (nobody closed it and reused the number meanwhile).
private struct PipeEnd {
    let fd: Int32
    let inode: UInt

    init(_ fd: Int32) {
        self.fd = fd
        var status = stat()
        inode = fstat(fd, &status) == 0 ? UInt(status.st_ino) : 0
    }

    func closeIfStillOpen() {
        var status = stat()
        if inode != 0, fstat(fd, &status) == 0, UInt(status.st_ino) == inode { close(fd) }
    }
}
