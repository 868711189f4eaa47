/// Creates the worker for one incarnation of a child.
public typealias WorkerFactory = @Sendable (ChildContext) throws -> any Worker

/// How to run one child of a supervisor: a worker or a nested supervisor, with its policies.
public struct ChildSpec: Sendable {
    /// What the child is.
    public enum Kind: Sendable {
        /// A worker created by the factory for every incarnation.
        case worker(WorkerFactory)
        /// A nested supervisor.
        case supervisor(SupervisorSpec)
    }

    /// The child's id; unique among its siblings, non-empty, without `/`.
    public var id: ChildID
    /// What the child is.
    public var kind: Kind
    /// When it is restarted.
    public var restart: RestartPolicy
    /// How it is stopped.
    public var shutdown: ShutdownPolicy
    /// The delay before each restart.
    public var backoff: Backoff

    /// Creates a child spec; the `worker(…)`, ``task(_:restart:shutdown:backoff:_:)`` and
    /// ``supervisor(_:restart:shutdown:backoff:)`` read better.
    public init(id: ChildID, kind: Kind, restart: RestartPolicy, shutdown: ShutdownPolicy, backoff: Backoff) {
        self.id = id
        self.kind = kind
        self.restart = restart
        self.shutdown = shutdown
        self.backoff = backoff
    }

    /// Whether this child is a worker or a supervisor.
    public var type: ChildType {
        switch kind {
        case .worker: .worker
        case .supervisor: .supervisor
        }
    }

    /// A worker child whose factory takes no arguments.
    public static func worker(
        _ id: ChildID,
        restart: RestartPolicy = .permanent,
        shutdown: ShutdownPolicy = .workerDefault,
        backoff: Backoff = .default,
        _ factory: @escaping @Sendable () throws -> any Worker
    ) -> ChildSpec {
        ChildSpec(id: id, kind: .worker({ _ in try factory() }), restart: restart, shutdown: shutdown, backoff: backoff)
    }

    /// A worker child whose factory receives the ``ChildContext`` of the incarnation.
    public static func worker(
        _ id: ChildID,
        restart: RestartPolicy = .permanent,
        shutdown: ShutdownPolicy = .workerDefault,
        backoff: Backoff = .default,
        _ factory: @escaping WorkerFactory
    ) -> ChildSpec {
        ChildSpec(id: id, kind: .worker(factory), restart: restart, shutdown: shutdown, backoff: backoff)
    }

    /// A worker child whose whole `run()` is `body` (the Rust crate's `impl_worker!`).
    ///
    /// ```swift
    /// ChildSpec.task("heartbeat") { context in
    ///     while true { try await Task.sleep(for: .seconds(1)); context.store?.update("beats") { .int(($0?.intValue ?? 0) + 1) } }
    /// }
    /// ```
    public static func task(
        _ id: ChildID,
        restart: RestartPolicy = .permanent,
        shutdown: ShutdownPolicy = .workerDefault,
        backoff: Backoff = .default,
        _ body: @escaping @Sendable (ChildContext) async throws -> Void
    ) -> ChildSpec {
        worker(id, restart: restart, shutdown: shutdown, backoff: backoff) { context in TaskWorker { try await body(context) } }
    }

    /// A nested supervisor child; its id is the spec's id.
    public static func supervisor(
        _ spec: SupervisorSpec,
        restart: RestartPolicy = .permanent,
        shutdown: ShutdownPolicy = .infinity,
        backoff: Backoff = .none
    ) -> ChildSpec {
        ChildSpec(id: spec.id, kind: .supervisor(spec), restart: restart, shutdown: shutdown, backoff: backoff)
    }
}
