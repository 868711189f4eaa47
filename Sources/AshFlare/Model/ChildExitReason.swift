/// Why a child stopped.
///
/// `normal`, `shutdown` and `stopped` are *normal* exits: a ``RestartPolicy/transient`` child is
/// not restarted after them. Every other reason is abnormal.
public enum ChildExitReason: Hashable, Sendable, CustomStringConvertible {
    /// `run()` returned (for a process child: it exited with status 0).
    case normal
    /// The child was stopped on purpose: by its supervisor (shutdown, terminate, a strategy
    /// round) or by throwing `CancellationError` itself.
    case shutdown
    /// A child whose stop is enforced (a process child) was stopped by its supervisor; the
    /// outcome says how it ended.
    case stopped(StopOutcome)
    /// Fault injection: the child was killed through ``SupervisorHandle/kill(_:)``.
    case killed
    /// `initialize()` or `run()` threw; the message is the error's description.
    case error(String)
    /// A process child exited by itself with this non-zero status.
    case exitStatus(Int32)
    /// A process child was ended by this signal, not sent by its supervisor (`SIGSEGV`, an
    /// outside `kill -9`, …); ``signalName(_:)`` names it.
    case signal(Int32)
    /// The child ignored cancellation past its shutdown timeout and was left behind.
    case abandoned
    /// A nested supervisor exceeded its restart intensity and gave up.
    case escalated

    /// Whether a transient child is restarted after this exit.
    public var isAbnormal: Bool {
        switch self {
        case .normal, .shutdown, .stopped: false
        case .killed, .error, .exitStatus, .signal, .abandoned, .escalated: true
        }
    }

    /// Whether the supervisor stopped the child on purpose (``shutdown`` or ``stopped(_:)``).
    public var isStopBySupervisor: Bool {
        switch self {
        case .shutdown, .stopped: true
        default: false
        }
    }

    /// A short human form: `normal`, `error: timeout`, `exit status 3`, `signal SIGSEGV`, …
    public var description: String {
        switch self {
        case .normal: "normal"
        case .shutdown: "shutdown"
        case .stopped(let outcome): "shutdown (\(outcome))"
        case .killed: "killed"
        case .error(let message): "error: \(message)"
        case .exitStatus(let status): "exit status \(status)"
        case .signal(let number): "signal \(Self.signalName(number))"
        case .abandoned: "abandoned"
        case .escalated: "escalated"
        }
    }

    /// The Linux name of signal `number` (`SIGSEGV`), or `signal 42` for one without a name.
    public static func signalName(_ number: Int32) -> String {
        let names: [Int32: String] = [
            1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
            8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
            14: "SIGALRM", 15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP",
            20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ",
            26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS",
        ]
        return names[number] ?? "signal \(number)"
    }
}

/// How an enforced stop of a child (a process child) ended.
public enum StopOutcome: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// It exited after the polite request (SIGTERM) within its shutdown timeout, or — with
    /// ``ShutdownPolicy/infinity`` — whenever it did.
    case exitedAfterRequest
    /// It was still running when its shutdown timeout passed and was force-stopped (SIGKILL).
    case killedAfterTimeout
    /// Its shutdown policy is ``ShutdownPolicy/brutal``: it was force-stopped (SIGKILL) at once.
    case killedAtOnce
    /// A task worker with ``ShutdownPolicy/brutal`` was cancelled and not waited for, and its task
    /// had not ended: Swift cannot kill a task. It is counted in
    /// ``SupervisorHandle/abandonedWorkerTasks`` until it ends by itself.
    case cancelledNotAwaited

    /// `exited after SIGTERM`, `killed after the timeout`, `killed at once`, `cancelled, not awaited`.
    public var description: String {
        switch self {
        case .exitedAfterRequest: "exited after SIGTERM"
        case .killedAfterTimeout: "killed after the timeout"
        case .killedAtOnce: "killed at once"
        case .cancelledNotAwaited: "cancelled, not awaited"
        }
    }
}
