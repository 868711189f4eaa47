import AshFlare

/// What a process child runs: an executable, its arguments, environment, working directory and
/// readiness. Standard input is always `/dev/null`; standard output and error go, line by line,
/// into the child's log (``ChildContext/log``).
///
/// ```swift
/// let web = try ChildSpec.process("web", ProcessSpec("python3", arguments: ["-m", "http.server", "8080"],
///                                                    readiness: .tcpPort(8080, timeout: .seconds(10))))
/// ```
public struct ProcessSpec: Hashable, Sendable {
    /// A path (containing `/`, relative to ``workingDirectory`` or the supervisor's directory) or a
    /// name looked up on the `PATH` the child starts with.
    public var executable: String
    /// The arguments after the executable's name.
    public var arguments: [String]
    /// The environment the child starts with.
    public var environment: ProcessEnvironment
    /// The directory the child starts in; nil for the supervisor's.
    public var workingDirectory: String?
    /// When the child counts as initialised.
    public var readiness: Readiness
    /// Output lines longer than this many bytes are cut and marked with ``ProcessSpec/cutMarker``.
    public var maxLineBytes: Int

    /// Appended to a line that was cut at ``maxLineBytes``.
    public static let cutMarker = "…[line cut]"

    /// Creates a spec; the defaults inherit the environment and directory and are ready on spawn.
    public init(
        _ executable: String,
        arguments: [String] = [],
        environment: ProcessEnvironment = .inherit,
        workingDirectory: String? = nil,
        readiness: Readiness = .spawned,
        maxLineBytes: Int = 16 * 1024
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.readiness = readiness
        self.maxLineBytes = maxLineBytes
    }

    /// Checks everything that can be checked before a start: the environment, the line limit,
    /// the readiness pattern, and that the executable exists and may be executed.
    /// - Returns: The executable's absolute or relative path.
    @discardableResult
    public func validate() throws(ProcessChildError) -> String {
        try environment.validate()
        guard maxLineBytes > 0 else { throw ProcessChildError(.badSpec, "maxLineBytes must be positive (was \(maxLineBytes))") }
        if case .outputLine(let pattern) = readiness.condition {
            do { _ = try Regex(pattern) } catch {
                throw ProcessChildError(.badSpec, "readiness pattern /\(pattern)/ is not a valid regular expression: \(error)")
            }
        }
        return try ExecutableLookup.resolve(executable, environment: environment, workingDirectory: workingDirectory)
    }
}

extension ChildSpec {
    /// A child that is an OS process, in its own process group, stopped for real.
    ///
    /// - `kill` sends SIGKILL to the process group; a stop follows `shutdown`: `.timeout(d)`
    ///   SIGTERM, wait d, SIGKILL; `.brutal` SIGKILL; `.infinity` SIGTERM and wait.
    /// - Exit status 0 is ``ChildExitReason/normal``, another status
    ///   ``ChildExitReason/exitStatus(_:)``, a signal ``ChildExitReason/signal(_:)``.
    /// - When the process's main program exits, the rest of its process group is killed; if the
    ///   supervising process dies, even by SIGKILL, a watchdog kills every group it started.
    ///
    /// - Throws: ``ProcessChildError`` when ``ProcessSpec/validate()`` fails, naming the field.
    public static func process(
        _ id: ChildID,
        _ process: ProcessSpec,
        restart: RestartPolicy = .permanent,
        shutdown: ShutdownPolicy = .workerDefault,
        backoff: Backoff = .default
    ) throws(ProcessChildError) -> ChildSpec {
        try process.validate()
        return .worker(id, restart: restart, shutdown: shutdown, backoff: backoff) { context in
            ProcessWorker(spec: process, context: context)
        }
    }
}
