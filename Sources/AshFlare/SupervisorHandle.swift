import Logging

/// The handle to a running supervision tree: observe it, manage any node by path, shut it down.
///
/// ```swift
/// let tree = try await SupervisorHandle.start(spec)
/// try await tree.kill("shop/db/pool")            // fault injection
/// print(tree.snapshot().root.children.map(\.state))
/// await tree.shutdown()
/// ```
///
/// Copies share one tree. When the last copy is dropped without ``shutdown()``, the tree is shut
/// down in the background (children stopped in reverse order), so a forgotten tree never leaks.
public struct SupervisorHandle: SupervisionControl {
    private let owner: Owner
    var core: TreeCore { owner.core }

    /// Validates `spec`, starts the tree and returns once every initial child has started.
    ///
    /// Children start in spec order, each after the previous one's `initialize()` finished. As in
    /// OTP, a child (at any depth) that fails to initialise fails the start: the children already
    /// started are stopped in reverse order and nothing keeps running.
    /// - Parameters:
    ///   - spec: The root supervisor.
    ///   - clock: The clock for intensity windows, backoff and shutdown timeouts.
    ///   - options: Logging, randomness and event buffering.
    /// - Throws: ``SupervisorError`` with code `invalidSpec` naming the first invalid field, or
    ///   `initializationFailed` naming the child that failed to start and why.
    public static func start(
        _ spec: SupervisorSpec,
        clock: some Clock<Duration> = ContinuousClock(),
        options: SupervisionOptions = SupervisionOptions()
    ) async throws -> SupervisorHandle {
        try spec.validate()
        let core = TreeCore(rootSpec: spec, clock: ElapsedClock(clock), options: options)
        let root = core.launchRoot(spec)
        if case .failed(let reason) = await root.waitInitialized() {
            throw SupervisorError(.initializationFailed, "tree '\(spec.id)' failed to start: \(reason)")
        }
        return SupervisorHandle(owner: Owner(core: core))
    }

    /// The root supervisor's path (its id).
    public var rootPath: ChildPath { core.rootPath }

    /// The whole tree at one instant, taken atomically.
    public func snapshot() -> TreeSnapshot { core.snapshot() }

    /// A snapshot and exactly the events after it.
    public func observe() -> TreeObservation {
        let (snapshot, events) = core.observe()
        return TreeObservation(snapshot: snapshot, events: events)
    }

    /// A snapshot and exactly the events after it, with a buffer of its own.
    /// - Parameter bufferSize: How far this subscriber may fall behind before it is told it
    ///   lagged; `Int.max` never drops an event (an oracle that must see every one).
    public func observe(bufferSize: Int) -> TreeObservation {
        let (snapshot, events) = core.observe(bufferSize: bufferSize)
        return TreeObservation(snapshot: snapshot, events: events)
    }

    /// The events from now on, for any number of subscribers; ends when the tree stops.
    /// - Parameter bufferSize: How far this subscriber may fall behind before it is told it lagged.
    public func events(bufferSize: Int? = nil) -> SupervisorEvents { core.observe(bufferSize: bufferSize).1 }

    /// The sequence number of the last event emitted, read under the tree's lock without a snapshot.
    public func lastEventSequence() -> UInt64 { core.withState { $0.hub.sequence } }

    /// The direct children of the supervisor at `path`, in start order (OTP's `which_children`).
    public func whichChildren(of path: ChildPath) throws -> [ChildInfo] { try core.whichChildren(of: path) }

    /// Counts of the direct children of the supervisor at `path` (OTP's `count_children`).
    public func countChildren(of path: ChildPath) throws -> ChildCounts { try core.countChildren(of: path) }

    /// Adds `child` under the supervisor at `supervisor` and waits for its `initialize()`.
    ///
    /// On failure or timeout the child is removed again and nothing is restarted (the crate's
    /// `start_child_linked`).
    /// - Throws: `childAlreadyExists`, `invalidSpec`, `initializationFailed`, `initializationTimeout`,
    ///   `childNotFound`, `notASupervisor` or `shuttingDown`.
    public func startChild(_ child: ChildSpec, under supervisor: ChildPath, initializationTimeout: Duration? = nil) async throws {
        _ = try await core.send(toSupervisorAt: supervisor, .start(child, initializationTimeout: initializationTimeout))
    }

    /// Starts a child from the supervisor's template `template` with `arguments` and waits for its
    /// `initialize()`. The child gets the first free id `template-n`.
    /// - Returns: The new child's path.
    /// - Throws: `unknownTemplate` naming the templates there are, `badArguments` with the
    ///   template's message, or any error of ``startChild(_:under:initializationTimeout:)``.
    @discardableResult
    public func startChild(template: String, arguments: [String] = [], under supervisor: ChildPath) async throws -> ChildPath {
        let id = try await core.send(toSupervisorAt: supervisor, .startFromTemplate(template, arguments: arguments))
        return supervisor.appending(id ?? template)
    }

    /// Fault injection: stops the child and treats it as crashed with reason `killed`.
    /// - Throws: `childNotRunning` if it is not running; `childNotFound` for an unknown path.
    public func kill(_ path: ChildPath) async throws { try await send(.kill(path.id), to: path) }

    /// Stops the child per its shutdown policy and keeps its spec (OTP's `terminate_child`).
    public func terminate(_ path: ChildPath) async throws { try await send(.terminate(path.id), to: path) }

    /// Starts a stopped child again (OTP's `restart_child`).
    /// - Throws: `childRunning` or `childRestarting` if it is not stopped.
    public func restart(_ path: ChildPath) async throws { try await send(.restart(path.id), to: path) }

    /// Removes a stopped child's spec (OTP's `delete_child`).
    /// - Throws: `childRunning` or `childRestarting` if it is not stopped.
    public func delete(_ path: ChildPath) async throws { try await send(.delete(path.id), to: path) }

    /// Like ``kill(_:)``, only if the node is still execution `execution` (``NodeSnapshot/execution``):
    /// checked and done in one step by its supervisor, so a restart in between (of the child or
    /// of a supervisor above it) makes it fail with `staleExecution` instead of hitting the new one.
    public func kill(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        try await send(.ifExecution(execution, of: path.id, .kill(path.id)), to: path)
    }

    /// Like ``terminate(_:)``, only if the node is still execution `execution`; else `staleExecution`.
    public func terminate(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        try await send(.ifExecution(execution, of: path.id, .terminate(path.id)), to: path)
    }

    /// Like ``restart(_:)``, only if the node is still execution `execution` (its last one, as it
    /// is stopped); else `staleExecution`.
    public func restart(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        try await send(.ifExecution(execution, of: path.id, .restart(path.id)), to: path)
    }

    /// Like ``delete(_:)``, only if the node is still execution `execution`; else `staleExecution`.
    public func delete(_ path: ChildPath, ifExecution execution: UInt64) async throws {
        try await send(.ifExecution(execution, of: path.id, .delete(path.id)), to: path)
    }

    /// Stops every child in reverse start order, nested supervisors included, and returns when
    /// the whole tree has stopped. Every later operation fails with `shuttingDown`.
    public func shutdown() async { await core.shutdown() }

    /// The newest `limit` lines (all when nil) of `scope` of the log of the child at `path`.
    ///
    /// ```swift
    /// let crashed = try tree.logTail(of: "shop/db", scope: .previous, limit: 20)
    /// ```
    /// - Throws: `childNotFound` for an unknown path or a child that never started, `notAWorker`
    ///   for a supervisor.
    public func logTail(of path: ChildPath, scope: LogScope = .current, limit: Int? = nil) throws -> LogTail {
        try core.log(of: path).tail(scope, limit: limit)
    }

    /// Follows the log of the child at `path` across its restarts: up to `backlog` lines already
    /// held, then every new line, gap-free. A reader that falls behind gets
    /// ``ChildLogEntry/lagged(missed:)``; the child never waits for it. Ends when the child is removed
    /// or the tree stops.
    public func followLog(of path: ChildPath, backlog: Int = 0) throws -> ChildLogLines {
        try core.log(of: path).follow(backlog: backlog)
    }

    /// Waits until the tree has stopped — shut down, or failed because its root supervisor
    /// exceeded its restart intensity — and returns why (`shutdown` or `escalated`).
    @discardableResult
    public func waitUntilStopped() async -> ChildExitReason {
        await core.rootExecution.waitExited() ?? .shutdown
    }

    /// Worker tasks that have not finished yet, abandoned ones included (for leak checks).
    public var liveWorkerTasks: Int { core.liveWorkerTasks.load(ordering: .relaxed) }

    /// Worker tasks that were abandoned after their shutdown timeout and are still running.
    public var abandonedWorkerTasks: Int { core.abandonedWorkerTasks.load(ordering: .relaxed) }

    /// Supervisor incarnations whose runtime has not been released yet (for leak checks: after
    /// ``shutdown()`` this reaches zero once the last supervisor task has returned).
    package var liveSupervisors: Int { core.liveSupervisors.load(ordering: .relaxed) }

    /// Backoff timers still held by the tree's supervisors (for leak checks: a timer is dropped
    /// when it fires or its restart is cancelled).
    package var pendingRestartTimers: Int {
        core.armedTimers.load(ordering: .relaxed)
    }

    private func send(_ command: SupervisorRuntime.Command, to path: ChildPath) async throws {
        try await core.send(toParentOf: path, command)
    }

    /// Shuts the tree down when the last handle goes away.
    private final class Owner: Sendable {
        let core: TreeCore
        init(core: TreeCore) { self.core = core }
        deinit { Task { [core] in await core.shutdown() } }
    }
}

extension TreeCore {
    /// Creates and starts the root supervisor's runtime; returns its execution.
    func launchRoot(_ spec: SupervisorSpec) -> ChildExecution {
        let execution = rootExecution
        let path = ChildPath(components: [spec.id])
        let runtime = SupervisorRuntime(key: makeKey(), path: path, tree: self, parent: nil, execution: execution)
        withState { state in
            let supervisor = SupervisorState(path: path, spec: spec)
            state.supervisors[runtime.key] = supervisor
            state.hub.emitAdded(childrenOf: supervisor, at: clock.now())
            state.rootRecord.apply(.launched(execution, nested: runtime, at: clock.now()))
        }
        Task { await runtime.run() }
        return execution
    }

    /// Stops the whole tree and waits until it has stopped.
    func shutdown() async {
        let root = withState { state in
            state.isClosed = true
            return state.rootRecord.nested
        }
        root?.post(.shutdown)
        _ = await rootExecution.waitExited()
    }
}
