import CoreMetrics
import Logging
import Synchronization

/// Everything one supervision tree shares: its state under one lock, its clock, its counters.
///
/// One lock for the whole tree makes snapshots atomic and event numbering gap-free; it is held
/// only for short, non-blocking updates (never across an `await`).
final class TreeCore: Sendable {
    let state: Locked<TreeState>
    let clock: ElapsedClock
    let random: RandomSource
    let logger: Logger
    let eventBufferSize: Int
    /// The bounds of every child's log ring.
    let logLimits: LogLimits
    let metrics: TreeMetrics
    /// The root supervisor's only incarnation (execution 1); resolved when the tree has stopped.
    let rootExecution = ChildExecution(incarnation: 1, id: 1)
    /// Worker tasks that have not finished, abandoned ones included.
    let liveWorkerTasks = Atomic<Int>(0)
    /// Abandoned worker tasks that have not finished yet.
    let abandonedWorkerTasks = Atomic<Int>(0)
    /// Backoff timers armed and not yet fired or cancelled, tree-wide.
    let armedTimers = Atomic<Int>(0)
    /// Supervisor runtimes not yet released (``SupervisorRuntime`` counts itself).
    let liveSupervisors = Atomic<Int>(0)
    private let keys = Atomic<UInt64>(0)
    /// The last execution id handed out; the root's is 1.
    private let executions = Atomic<UInt64>(1)

    init(rootSpec: SupervisorSpec, clock: ElapsedClock, options: SupervisionOptions) {
        self.clock = clock
        self.random = options.random
        self.logger = options.logger
        self.eventBufferSize = options.eventBufferSize
        self.logLimits = options.logLimits
        self.metrics = TreeMetrics(tree: rootSpec.id, factory: options.metricsFactory)
        var rootRecord = ChildRecord(spec: .supervisor(rootSpec), path: ChildPath(components: [rootSpec.id]))
        rootRecord.executionID = 1
        self.state = Locked(TreeState(rootRecord: rootRecord))
    }

    var rootPath: ChildPath { ChildPath(components: [state.withLock { $0.rootRecord.id }]) }

    func makeKey() -> UInt64 { keys.add(1, ordering: .relaxed).newValue }

    /// A new tree-unique execution id: every start of every child gets one, never reused.
    func makeExecutionID() -> UInt64 { executions.add(1, ordering: .relaxed).newValue }

    /// Runs `body` under the tree lock; the events it emitted are handed to subscribers
    /// before the lock is released (``EventHub/flush()``).
    @inline(__always)
    func withState<R: Sendable, E: Error>(_ body: (inout TreeState) throws(E) -> R) throws(E) -> R {
        try state.withLock { state throws(E) in
            defer { state.hub.flush() }
            return try body(&state)
        }
    }
}

extension TreeCore {
    /// Sends `command` to the supervisor at `path` (the handle's and a worker scope's route).
    @discardableResult
    func send(toSupervisorAt path: ChildPath, _ command: SupervisorRuntime.Command) async throws -> ChildID? {
        let runtime = try withState { state throws(SupervisorError) in try state.supervisor(at: path) }
        return try await runtime.send(command)
    }

    /// Sends `command` to the supervisor holding the child at `path`.
    func send(toParentOf path: ChildPath, _ command: SupervisorRuntime.Command) async throws {
        let runtime = try withState { state throws(SupervisorError) in try state.parent(of: path) }
        try await runtime.send(command)
    }
}

/// The mutable state of a whole tree; lives inside ``TreeCore/state``.
struct TreeState: Sendable {
    /// The root supervisor's record (it has no parent to hold it).
    var rootRecord: ChildRecord
    /// Every running supervisor, by key.
    var supervisors: [UInt64: SupervisorState] = [:]
    var hub = EventHub()
    /// Set once `shutdown()` was called or the root stopped: no more operations.
    var isClosed = false
    /// The root's details and children as they ended, kept once the root stopped so snapshots
    /// still show the tree (a post-mortem).
    var postMortem: (details: SupervisorDetails, children: [NodeSnapshot])?

    /// The record of child `id` under the supervisor `parent` (the root record when `parent` is nil).
    func record(_ id: ChildID, in parent: SupervisorRuntime?) -> ChildRecord? {
        guard let parent else { return rootRecord }
        return supervisors[parent.key]?.records[id]
    }

    /// Updates the record of child `id` under `parent` in place, if it exists.
    @discardableResult
    mutating func updateRecord<R>(_ id: ChildID, in parent: SupervisorRuntime?, _ body: (inout ChildRecord) -> R) -> R? {
        guard let parent else { return body(&rootRecord) }
        return modifySupervisor(parent.key) { $0.modifyRecord(id, body) } ?? nil
    }

    /// Runs `body` on the state of supervisor `key` in place: one lookup and no copy (reading
    /// `supervisors[key]?.field` copies the whole ``SupervisorState``). Nil if it has stopped.
    @inline(__always) @discardableResult
    mutating func modifySupervisor<R, E: Error>(_ key: UInt64, _ body: (inout SupervisorState) throws(E) -> R) throws(E) -> R? {
        guard let index = supervisors.index(forKey: key) else { return nil }
        return try body(&supervisors.values[index])
    }

    /// Finds the supervisor at `path` and returns its runtime.
    func supervisor(at path: ChildPath) throws(SupervisorError) -> SupervisorRuntime {
        guard !isClosed else { throw .treeStopped }
        guard path.components.first == rootRecord.id, var runtime = rootRecord.nested else {
            throw .notFound(path)
        }
        var walked = ChildPath(components: [rootRecord.id])
        for id in path.components.dropFirst() {
            walked = walked.appending(id)
            guard let record = supervisors[runtime.key]?.records[id] else { throw .notFound(path) }
            guard record.spec.type == .supervisor else {
                throw SupervisorError(.notASupervisor, "'\(walked)' is a worker, not a supervisor")
            }
            guard let nested = record.nested else {
                let reach = walked == path ? "it has no children until it is restarted" : "'\(path)' cannot be reached until it is restarted"
                throw SupervisorError(.supervisorNotRunning, "supervisor '\(walked)' is not running (\(record.state)); \(reach)")
            }
            runtime = nested
        }
        return runtime
    }

    /// Finds the supervisor holding the child at `path`.
    func parent(of path: ChildPath) throws(SupervisorError) -> SupervisorRuntime {
        guard let parentPath = path.parent else {
            guard path.id == rootRecord.id, !isClosed else { throw isClosed ? .treeStopped : .notFound(path) }
            throw SupervisorError(.rootSupervisor, "'\(path)' is the root supervisor, which no supervisor holds; stop the whole tree instead")
        }
        let runtime = try supervisor(at: parentPath)
        guard supervisors[runtime.key]?.records[path.id] != nil else { throw .notFound(path) }
        return runtime
    }
}

/// Options for starting a tree.
public struct SupervisionOptions: Sendable {
    /// Where the engine logs (debug and trace only). The library never bootstraps logging.
    public var logger: Logger
    /// The random source for backoff jitter.
    public var random: RandomSource
    /// How many events each subscriber may fall behind before it is told it lagged.
    public var eventBufferSize: Int
    /// Where counters and gauges go; nil uses the bootstrapped `MetricsSystem.factory`.
    public var metricsFactory: (any MetricsFactory)?
    /// How much of each child's log is kept (``ChildLog``).
    public var logLimits: LogLimits

    /// Creates options; the defaults log nowhere, use the system random source, buffer 4096
    /// events and keep 1,000 lines or 256 KiB of each child's log.
    public init(
        logger: Logger = Logger(label: "ashflare", factory: { _ in SwiftLogNoOpLogHandler() }),
        random: RandomSource = .system,
        eventBufferSize: Int = 4096,
        metricsFactory: (any MetricsFactory)? = nil,
        logLimits: LogLimits = LogLimits()
    ) {
        self.logger = logger
        self.random = random
        self.eventBufferSize = eventBufferSize
        self.metricsFactory = metricsFactory
        self.logLimits = logLimits
    }
}
