import AshFlare

/// A tree for the dashboard to watch: a name and a way to reach it.
///
/// ```swift
/// DashboardNode(name: "shop", control: tree)                        // in-process
/// DashboardNode(name: "db-1") { try await RemoteClient.connect(…) } // a remote node, reconnected on loss
/// ```
public struct DashboardNode: Sendable {
    /// The name shown for the tree.
    public var name: String
    /// Connects to the tree; called again after the connection is lost.
    public var connect: @Sendable () async throws -> any SupervisionControl

    /// Creates a node reached by `connect`.
    public init(name: String, connect: @escaping @Sendable () async throws -> any SupervisionControl) {
        self.name = name
        self.connect = connect
    }

    /// Creates a node for a tree the caller already holds (an in-process ``SupervisorHandle``).
    public init(name: String, control: some SupervisionControl) {
        self.name = name
        self.connect = { control }
    }
}

/// Where a ``NodeFeed`` delivers what it sees; the terminal's inbox, or a test's collector.
public protocol FeedSink: Sendable {
    /// Delivers an update.
    func post(_ update: FeedUpdate)
    /// Delivers one event of tree `node` (sinks may batch consecutive events).
    func post(event: SupervisorEvent, node: Int)
}
