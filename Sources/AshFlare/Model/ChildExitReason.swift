/// Why a child stopped.
///
/// `normal` and `shutdown` are *normal* exits: a ``RestartPolicy/transient`` child is not restarted
/// after them. Every other reason is abnormal.
public enum ChildExitReason: Hashable, Sendable, CustomStringConvertible {
    /// `run()` returned.
    case normal
    /// The child was stopped on purpose: by its supervisor (shutdown, terminate, a strategy
    /// round) or by throwing `CancellationError` itself.
    case shutdown
    /// Fault injection: the child was killed through ``SupervisorHandle/kill(_:)``.
    case killed
    /// `initialize()` or `run()` threw; the message is the error's description.
    case error(String)
    /// The child ignored cancellation past its shutdown timeout and was left behind.
    case abandoned
    /// A nested supervisor exceeded its restart intensity and gave up.
    case escalated

    /// Whether a transient child is restarted after this exit.
    public var isAbnormal: Bool {
        switch self {
        case .normal, .shutdown: false
        case .killed, .error, .abandoned, .escalated: true
        }
    }

    /// A short human form: `normal`, `error: timeout`, …
    public var description: String {
        switch self {
        case .normal: "normal"
        case .shutdown: "shutdown"
        case .killed: "killed"
        case .error(let message): "error: \(message)"
        case .abandoned: "abandoned"
        case .escalated: "escalated"
        }
    }
}
