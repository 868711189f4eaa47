import AshFlare
import ServiceLifecycle

/// Runs a supervision tree as a swift-service-lifecycle `Service`.
///
/// Put it in a `ServiceGroup`: the tree starts when the group runs, and on graceful shutdown
/// (SIGTERM/SIGINT with the group's default signals) or cancellation it stops every child in
/// reverse order and awaits them before `run()` returns.
/// ```swift
/// let service = SupervisionTreeService(spec)
/// let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
/// If the root supervisor gives up (its restart intensity is exceeded), `run()` throws
/// ``TreeFailedError`` so the group can react.
///
/// Other services reach the tree through ``handle()``, which waits until it has started: serving
/// it remotely needs no plumbing (`SupervisorServerService(serving: service, …)` in
/// `AshFlareRemote`).
public struct SupervisionTreeService: Service {
    private let start: @Sendable () async throws -> SupervisorHandle
    private let onStart: @Sendable (SupervisorHandle) async -> Void
    private let started = Eventual<SupervisorHandle>()

    /// Creates a service that starts `spec` when run.
    /// - Parameters:
    ///   - onStart: Called with the handle once the tree has started (e.g. to serve it remotely).
    public init(
        _ spec: SupervisorSpec,
        clock: some Clock<Duration> = ContinuousClock(),
        options: SupervisionOptions = SupervisionOptions(),
        onStart: @escaping @Sendable (SupervisorHandle) async -> Void = { _ in }
    ) {
        self.start = { try await SupervisorHandle.start(spec, clock: clock, options: options) }
        self.onStart = onStart
    }

    /// The handle of the tree this service started; waits until it has started.
    /// - Throws: The error that kept the tree from starting.
    public func handle() async throws -> SupervisorHandle {
        try await started.value()
    }

    /// Starts the tree and runs until it stops; shuts it down on graceful shutdown or cancellation.
    public func run() async throws {
        let tree: SupervisorHandle
        do {
            tree = try await start()
        } catch {
            started.resolve(.failure(error))
            throw error
        }
        started.resolve(.success(tree))
        await onStart(tree)
        let reason = await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await tree.waitUntilStopped()
            } onCancel: {
                Task { await tree.shutdown() }
            }
        } onGracefulShutdown: {
            Task { await tree.shutdown() }
        }
        if reason == .escalated { throw TreeFailedError(root: tree.rootPath) }
    }
}

/// The tree's root supervisor exceeded its restart intensity and stopped.
public struct TreeFailedError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The root supervisor's path.
    public var root: ChildPath

    /// Creates the error for the tree rooted at `root`.
    public init(root: ChildPath) { self.root = root }

    public var description: String { "supervision tree '\(root)' failed: its restart intensity was exceeded" }
}
