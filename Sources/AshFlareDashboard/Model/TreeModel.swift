import AshFlare

/// One tree as the dashboard knows it: a snapshot kept current by applying the events after it.
///
/// For the fields events carry (state, incarnation, restart count, last exit, the intensity
/// window, which nodes exist) the model equals what a fresh snapshot at the same sequence number
/// would show (`childAdded` carries a new node, also the children of a restarted supervisor).
/// What events cannot tell — an event that was missed, a server too old to send the node —
/// sets ``needsResync``; the owner then loads a fresh
/// snapshot with ``load(_:)``, and events already contained in it are skipped by their number.
public struct TreeModel: Sendable {
    /// Every node, depth first; removed nodes stay as dead slots until the next snapshot.
    public internal(set) var nodes: [ModelNode] = []
    private var index: [ChildPath: Int] = [:]
    /// The sequence number of the last snapshot or event applied.
    public internal(set) var sequence: UInt64 = 0
    /// The latest tree time seen (snapshot or event).
    public private(set) var time: Duration = .zero
    /// Set when the model can no longer follow the tree from events alone.
    public internal(set) var needsResync = false
    /// Recent restarts (from `restartScheduled` events), oldest first.
    public internal(set) var restarts = Ring<RestartMark>(capacity: 4096)
    /// Live nodes by type and state, kept current by every change (see ``setState(_:_:)``).
    internal private(set) var totals = Totals()
    /// Slots of removed nodes since the last snapshot (0: every slot is a live node).
    public private(set) var deadSlots = 0
    /// The widest `2 × depth + name` of any node, in cells (for the name column).
    public private(set) var widestLabel = 0
    /// Whether a snapshot was loaded.
    public private(set) var loaded = false

    /// How many exits per node the detail pane keeps.
    public static let recentExitLimit = 6

    /// Creates an empty model (no snapshot yet).
    public init() {}

    /// Creates a model from a snapshot.
    public init(_ snapshot: TreeSnapshot) {
        load(snapshot)
    }

    /// The root node's index (0) once a snapshot was loaded.
    public var rootIndex: Int? { loaded && !nodes.isEmpty ? 0 : nil }

    /// The root node.
    public var root: ModelNode? { rootIndex.map { nodes[$0] } }

    /// The index of the live node at `path`.
    public func index(of path: ChildPath) -> Int? { index[path] }

    /// The live node at `path`.
    public func node(at path: ChildPath) -> ModelNode? { index[path].map { nodes[$0] } }

    /// Replaces the model with `snapshot`, keeping what only watching can know (recent exits,
    /// restart history). Returns false, changing nothing, for a snapshot older than the model.
    @discardableResult
    public mutating func load(_ snapshot: TreeSnapshot) -> Bool {
        if loaded && snapshot.sequence < sequence { return false }
        var exits: [ChildPath: [ExitRecord]] = [:]
        for node in nodes where node.isLive && node.recentExits.count > 1 { exits[node.path] = node.recentExits }
        nodes.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        var stack: [(NodeSnapshot, Int?, Int)] = [(snapshot.root, nil, 0)]
        while let (node, parent, depth) = stack.popLast() {
            let slot = nodes.count
            var model = ModelNode(node, parent: parent, depth: depth)
            if let old = exits[node.path] {
                model.recentExits = old
                if let last = model.recentExits.last, let reason = node.lastExit, let at = node.lastExitAt,
                   last.at != at || last.reason != reason {
                    Self.appendExit(&model, ExitRecord(incarnation: node.state.isActive ? node.incarnation - 1 : node.incarnation, reason: reason, at: at))
                }
            }
            nodes.append(model)
            index[node.path] = slot
            if let parent { nodes[parent].children.append(slot) }
            for child in node.children.reversed() { stack.append((child, slot, depth + 1)) }
        }
        widestLabel = 0
        deadSlots = 0
        totals = Totals(counting: nodes)
        for node in nodes { widestLabel = max(widestLabel, 2 * node.depth + TextWidth.cells(node.id)) }
        sequence = snapshot.sequence
        time = snapshot.time
        needsResync = false
        loaded = true
        return true
    }

    /// Asks for a fresh snapshot (after `lagged`, or when something happened that events do not describe).
    public mutating func markNeedsResync() { needsResync = true }

    /// Adds `node` (and anything below it) as the last child of the node at `parent`.
    mutating func insert(_ node: NodeSnapshot, under parent: Int) {
        let slot = nodes.count
        let model = ModelNode(node, parent: parent, depth: nodes[parent].depth + 1)
        nodes.append(model)
        index[node.path] = slot
        nodes[parent].children.append(slot)
        totals.count(model, 1)
        widestLabel = max(widestLabel, 2 * model.depth + TextWidth.cells(model.id))
        for child in node.children { insert(child, under: slot) }
    }

    /// Removes the node at `slot` and everything below it.
    mutating func removeSubtree(_ slot: Int) {
        if let parent = nodes[slot].parent, let position = nodes[parent].children.firstIndex(of: slot) {
            nodes[parent].children.remove(at: position)
        }
        removeDescendants(of: slot)
        totals.count(nodes[slot], -1)
        nodes[slot].isLive = false
        deadSlots += 1
        index.removeValue(forKey: nodes[slot].path)
    }

    /// Removes everything below the node at `slot` (a supervisor that stopped has no children).
    mutating func removeDescendants(of slot: Int) {
        var stack = nodes[slot].children
        nodes[slot].children.removeAll()
        while let next = stack.popLast() {
            stack.append(contentsOf: nodes[next].children)
            nodes[next].children.removeAll()
            totals.count(nodes[next], -1)
            nodes[next].isLive = false
            deadSlots += 1
            index.removeValue(forKey: nodes[next].path)
        }
    }

    /// Changes the state of the node at `slot`, keeping ``totals`` current.
    mutating func setState(_ slot: Int, _ state: ChildState) {
        totals.count(nodes[slot], -1)
        nodes[slot].state = state
        totals.count(nodes[slot], 1)
    }

    static func appendExit(_ node: inout ModelNode, _ record: ExitRecord) {
        node.recentExits.append(record)
        if node.recentExits.count > recentExitLimit { node.recentExits.removeFirst() }
    }

    mutating func noteTime(_ eventTime: Duration) {
        if eventTime > time { time = eventTime }
    }
}

/// One restart, for sparklines and the restart rate.
public struct RestartMark: Sendable {
    /// When it was scheduled (tree time).
    public var time: Duration
    /// The node restarted.
    public var path: ChildPath
}
