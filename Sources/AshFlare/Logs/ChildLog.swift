/// Which stream a child's log line came from.
public enum LogStream: String, Hashable, Sendable, Codable, CaseIterable {
    /// A process child's standard output.
    case stdout
    /// A process child's standard error.
    case stderr
    /// A task worker's swift-log `Logger`, routed into its node.
    case logger
}

/// Where the incarnations of one child write their log lines.
///
/// One per child, kept across restarts, so the lines of the previous incarnation are still
/// there after a crash. A worker receives it on ``ChildContext/log``; process children write
/// their standard output and error into it line by line.
public final class ChildLog: Sendable {
    /// Creates an empty log.
    public init() {}

    /// Appends one line (without its newline) written by `stream`.
    public func append(_ line: String, stream: LogStream) {}
}
