/// The description of a supervisor: its id, strategy, intensity and children in start order.
///
/// ```swift
/// let spec = SupervisorSpec("shop", strategy: .oneForOne) {
///     ChildSpec.worker("acceptor") { Acceptor() }
///     SupervisorSpec("db", strategy: .restForOne) {
///         ChildSpec.worker("conn-manager") { ConnectionManager() }
///         ChildSpec.worker("pool", restart: .transient) { Pool() }
///     }
/// }
/// ```
public struct SupervisorSpec: Sendable {
    /// The supervisor's id; the root's id is the first component of every path in its tree.
    public var id: ChildID
    /// Which children are restarted when one fails.
    public var strategy: RestartStrategy
    /// How many restarts are tolerated before the supervisor gives up.
    public var intensity: RestartIntensity
    /// The children, in start order.
    public var children: [ChildSpec]
    /// The templates children can be started from at runtime (see ``withTemplates(_:)``).
    public var templates: [WorkerTemplate] = []
    /// The store this supervisor owns, if any (see ``withContext(_:)``).
    public var context: WorkerContext?

    /// Creates a spec from a list of children.
    public init(
        _ id: ChildID,
        strategy: RestartStrategy = .oneForOne,
        intensity: RestartIntensity = .default,
        children: [ChildSpec] = []
    ) {
        self.id = id
        self.strategy = strategy
        self.intensity = intensity
        self.children = children
    }

    /// Creates a spec whose children are listed in a ``ChildrenBuilder`` block.
    public init(
        _ id: ChildID,
        strategy: RestartStrategy = .oneForOne,
        intensity: RestartIntensity = .default,
        @ChildrenBuilder children: () -> [ChildSpec]
    ) {
        self.init(id, strategy: strategy, intensity: intensity, children: children())
    }

    /// Returns a copy that owns `store`: every worker below it receives the store (as
    /// ``ChildContext/store``) unless a nested supervisor has its own. The store outlives worker
    /// and supervisor restarts; it lives as long as the spec holds it.
    public func withContext(_ store: WorkerContext = WorkerContext()) -> SupervisorSpec {
        var copy = self
        copy.context = store
        return copy
    }

    /// Returns a copy with `child` appended.
    public func adding(_ child: ChildSpec) -> SupervisorSpec {
        var copy = self
        copy.children.append(child)
        return copy
    }
}

/// Builds a list of children that reads like the tree it describes; `if`, `for` and optionals work.
@resultBuilder
public enum ChildrenBuilder {
    public static func buildExpression(_ child: ChildSpec) -> [ChildSpec] { [child] }
    public static func buildExpression(_ supervisor: SupervisorSpec) -> [ChildSpec] { [.supervisor(supervisor)] }
    public static func buildExpression(_ children: [ChildSpec]) -> [ChildSpec] { children }
    public static func buildBlock(_ parts: [ChildSpec]...) -> [ChildSpec] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [ChildSpec]?) -> [ChildSpec] { part ?? [] }
    public static func buildEither(first part: [ChildSpec]) -> [ChildSpec] { part }
    public static func buildEither(second part: [ChildSpec]) -> [ChildSpec] { part }
    public static func buildArray(_ parts: [[ChildSpec]]) -> [ChildSpec] { parts.flatMap { $0 } }
}
