import AshFlare

/// The newest lines of one worker's log, as the detail pane shows them.
public struct DetailLog: Sendable, Hashable {
    /// The tree (connection) the worker belongs to.
    public var node: Int
    /// The worker.
    public var path: ChildPath
    /// Its newest lines, oldest first.
    public var lines: [LogLine]

    /// How many lines the detail pane asks for.
    public static let lineCount = 8

    /// Creates a detail log.
    public init(node: Int, path: ChildPath, lines: [LogLine]) {
        self.node = node
        self.path = path
        self.lines = lines
    }
}
