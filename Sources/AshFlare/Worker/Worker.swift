/// A unit of work a supervisor runs, restarts and stops.
///
/// A new worker is created by its child spec's factory for every incarnation, inside the child's
/// own task, so a worker need not be `Sendable`. The life cycle is ``initialize()`` → ``run()`` →
/// ``shutdown()``:
/// - `run()` returning is a normal exit; throwing is an abnormal exit whose reason keeps the error.
/// - When its supervisor stops it, the child's task is cancelled: `run()` should return or throw
///   `CancellationError` promptly (`Task.sleep`, `AsyncStream` iteration and the like do).
/// - If `initialize()` throws, `run()` and `shutdown()` are skipped.
/// - `shutdown()` runs after `run()` ends for any reason; after a stop it runs in a cancelled task.
public protocol Worker {
    /// Prepares the worker; a child started at runtime is added only once this succeeds.
    mutating func initialize() async throws
    /// Does the work; returning ends the child normally.
    mutating func run() async throws
    /// Cleans up after `run()` ends; errors are logged and otherwise ignored.
    mutating func shutdown() async throws
}

extension Worker {
    /// Does nothing.
    public mutating func initialize() async throws {}
    /// Does nothing.
    public mutating func shutdown() async throws {}
}

/// What a worker factory learns about the incarnation it creates.
public struct ChildContext: Sendable {
    /// The child's path in the tree.
    public let path: ChildPath
    /// The incarnation being started: 1 for the first start, one more for every restart.
    public let incarnation: UInt64
    /// The store of the nearest supervisor above that has one (see ``SupervisorSpec/withContext(_:)``).
    public let store: WorkerContext?
    /// The child's log, kept across restarts: what the incarnation writes there is shown with
    /// the node (see ``ChildLog``).
    public let log: ChildLog?
    /// A handle to the child's own supervisor, to start and stop siblings (``SupervisorScope``);
    /// nil when the context was not made by the engine.
    public internal(set) var supervisor: SupervisorScope?
    /// The incarnation this context belongs to, when the engine made the context.
    var execution: ChildExecution?
    /// The tree's clock, when the engine made the context (a process child times its readiness on it).
    package var clock: ElapsedClock?

    /// Creates a context.
    public init(path: ChildPath, incarnation: UInt64, store: WorkerContext? = nil, log: ChildLog? = nil) {
        self.path = path
        self.incarnation = incarnation
        self.store = store
        self.log = log
    }
}

/// A worker whose whole `run()` is a closure (the Rust crate's `impl_worker!`).
///
/// ```swift
/// .worker("ticker") { TaskWorker { try await tick() } }
/// ```
public struct TaskWorker: Worker {
    private let body: @Sendable () async throws -> Void

    /// Creates a worker that runs `body`.
    public init(_ body: @escaping @Sendable () async throws -> Void) { self.body = body }

    /// Runs the closure.
    public func run() async throws { try await body() }
}
