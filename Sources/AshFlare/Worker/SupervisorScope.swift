/// A worker's handle to its own supervisor: start, stop and look up its siblings (and the
/// children of supervisors below its own), never anything above.
///
/// It is how a worker grows a pool of dynamic workers (OTP's `simple_one_for_one`, Akka's
/// `spawn`): paths are relative to the worker's supervisor, and the supervisor's rules apply
/// as to any operator.
///
/// ```swift
/// .worker("dispatcher") { context in
///     TaskWorker {
///         let scope = context.supervisor!
///         for job in try await nextJobs() {
///             try await scope.startChild(template: "job", arguments: [job.id])
///         }
///     }
/// }
/// ```
///
/// Call it from `run()`, not from `initialize()`: the supervisor waits for `initialize()` to
/// finish before it handles anything else, so an operation awaited there never completes.
/// It does not keep the tree alive: once the tree has stopped every operation throws
/// `shuttingDown`.
public struct SupervisorScope: Sendable {
    /// The supervisor's path; every path given to the scope is relative to it.
    public let path: ChildPath
    private let core: TreeCore

    init(path: ChildPath, core: TreeCore) {
        self.path = path
        self.core = core
    }

    /// The supervisor's direct children, in start order (the worker itself among them).
    public func whichChildren() throws -> [ChildInfo] { try core.whichChildren(of: path) }

    /// The direct children of the supervisor at `relative` below this one.
    public func whichChildren(of relative: ChildPath) throws -> [ChildInfo] {
        try core.whichChildren(of: absolute(relative))
    }

    /// Adds `child` under this supervisor (or the one at `relative` below it) and waits for its
    /// `initialize()`; errors as ``SupervisorHandle/startChild(_:under:initializationTimeout:)``.
    public func startChild(_ child: ChildSpec, under relative: ChildPath? = nil, initializationTimeout: Duration? = nil) async throws {
        _ = try await core.send(toSupervisorAt: absolute(relative), .start(child, initializationTimeout: initializationTimeout))
    }

    /// Starts a child from this supervisor's template; returns its path (absolute).
    @discardableResult
    public func startChild(template: String, arguments: [String] = []) async throws -> ChildPath {
        let id = try await core.send(toSupervisorAt: path, .startFromTemplate(template, arguments: arguments))
        return path.appending(id ?? template)
    }

    /// Stops the child at `relative` and keeps its spec (``SupervisorHandle/terminate(_:)``).
    public func terminate(_ relative: ChildPath) async throws { try await send(.terminate(relative.id), to: relative) }

    /// Starts the stopped child at `relative` again (``SupervisorHandle/restart(_:)``).
    public func restart(_ relative: ChildPath) async throws { try await send(.restart(relative.id), to: relative) }

    /// Removes the stopped child at `relative` (``SupervisorHandle/delete(_:)``).
    public func delete(_ relative: ChildPath) async throws { try await send(.delete(relative.id), to: relative) }

    /// Kills the child at `relative` as if it crashed (``SupervisorHandle/kill(_:)``).
    public func kill(_ relative: ChildPath) async throws { try await send(.kill(relative.id), to: relative) }

    private func absolute(_ relative: ChildPath?) -> ChildPath {
        guard let relative else { return path }
        return ChildPath(components: path.components + relative.components)
    }

    private func send(_ command: SupervisorRuntime.Command, to relative: ChildPath) async throws {
        let target = absolute(relative)
        try await core.send(toParentOf: target, command)
    }
}
