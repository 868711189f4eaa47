import AshFlare

// A snapshot on the wire: `{"sequence":…,"time":…,"root":<node>}`. A node carries its `id` but not
// its path: the path is the parent's path plus the id, which keeps a large tree's frame small.

extension TreeSnapshot: WireCodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("sequence")
            writer.integer(sequence)
            writer.key("time")
            writer.duration(time)
            writer.key("root")
            root.encode(to: &writer)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var sequence: UInt64?, time: Duration?, root: NodeSnapshot?
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "sequence": sequence = try reader.readUInt64("sequence")
            case "time": time = try reader.readDuration("time")
            case "root": root = try NodeSnapshot(from: &reader, parent: nil, field: "root")
            default: try reader.skipValue()
            }
        }
        self.init(
            sequence: try required(sequence, "sequence", in: "snapshot"), time: try required(time, "time", in: "snapshot"),
            root: try required(root, "root", in: "snapshot"))
    }
}

extension NodeSnapshot: WireEncodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("id")
            writer.string(id)
            writer.key("type")
            type.encode(to: &writer)
            writer.key("state")
            state.encode(to: &writer)
            writer.key("restart")
            restartPolicy.encode(to: &writer)
            writer.key("shutdown")
            shutdown.encode(to: &writer)
            writer.key("backoff")
            backoff.encode(to: &writer)
            writer.key("incarnation")
            writer.integer(incarnation)
            writer.key("execution")
            writer.integer(execution)
            writer.key("restarts")
            writer.integer(restartCount)
            if let lastExit {
                writer.key("lastExit")
                lastExit.encode(to: &writer)
            }
            if let lastExitAt {
                writer.key("lastExitAt")
                writer.duration(lastExitAt)
            }
            if let startedAt {
                writer.key("startedAt")
                writer.duration(startedAt)
            }
            if let supervisor {
                writer.key("supervisor")
                supervisor.encode(to: &writer)
            }
            if type == .supervisor || !children.isEmpty {
                writer.key("children")
                writer.array { writer in
                    for child in children { child.encode(to: &writer) }
                }
            }
        }
    }

    /// Reads a node whose parent is at `parent` (nil for the root).
    init(from reader: inout JSONReader, parent: ChildPath?, field: String) throws(WireError) {
        var id: String?, type: ChildType?, state: ChildState?, restart: RestartPolicy?, shutdown: ShutdownPolicy?
        var backoff: Backoff?, incarnation: UInt64?, execution: UInt64 = 0, restarts: Int?, lastExit: ChildExitReason?, lastExitAt: Duration?
        var startedAt: Duration?, supervisor: SupervisorDetails?, children: [NodeSnapshot] = []
        var childrenRange: Range<Int>?
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "id": id = try reader.readString("id")
            case "type": type = try ChildType(from: &reader, field: "type")
            case "state": state = try ChildState(from: &reader, field: "state")
            case "restart": restart = try RestartPolicy(from: &reader, field: "restart")
            case "shutdown": shutdown = try ShutdownPolicy(from: &reader, field: "shutdown")
            case "backoff": backoff = try Backoff(from: &reader, field: "backoff")
            case "incarnation": incarnation = try reader.readUInt64("incarnation")
            case "execution": execution = try reader.readUInt64("execution")
            case "restarts": restarts = try reader.readInt("restarts")
            case "lastExit": lastExit = try reader.readNull() ? nil : ChildExitReason(from: &reader, field: "lastExit")
            case "lastExitAt": lastExitAt = try reader.readNull() ? nil : reader.readDuration("lastExitAt")
            case "startedAt": startedAt = try reader.readNull() ? nil : reader.readDuration("startedAt")
            case "supervisor": supervisor = try reader.readNull() ? nil : SupervisorDetails(from: &reader, field: "supervisor")
            case "children":
                guard reader.peekKind() == .array else { throw .type(of: "children", expected: "an array", found: reader.peekKind()) }
                if let id {
                    let path = try Self.path(of: id, under: parent)
                    try reader.readArray("children") { reader throws(WireError) in
                        children.append(try NodeSnapshot(from: &reader, parent: path, field: "children"))
                    }
                } else {
                    // The children's paths need this node's id, which comes later: decode them last.
                    childrenRange = try reader.skipValue()
                }
            default: try reader.skipValue()
            }
        }
        let nodeID = try required(id, "id", in: "node")
        let path = try Self.path(of: nodeID, under: parent)
        if let childrenRange {
            var sub = reader.subreader(childrenRange)
            try sub.readArray("children") { sub throws(WireError) in
                children.append(try NodeSnapshot(from: &sub, parent: path, field: "children"))
            }
        }
        self.init(
            id: nodeID, path: path, type: try required(type, "type", in: "node"), state: try required(state, "state", in: "node"),
            restartPolicy: try required(restart, "restart", in: "node"), shutdown: try required(shutdown, "shutdown", in: "node"),
            backoff: try required(backoff, "backoff", in: "node"), incarnation: try required(incarnation, "incarnation", in: "node"),
            restartCount: try required(restarts, "restarts", in: "node"), lastExit: lastExit, lastExitAt: lastExitAt,
            startedAt: startedAt, supervisor: supervisor, children: children, execution: execution)
    }

    private static func path(of id: String, under parent: ChildPath?) throws(WireError) -> ChildPath {
        guard !id.isEmpty, !id.utf8.contains(UInt8(ascii: "/")) else { throw .schema("field 'id' must be non-empty and contain no '/' (was '\(id)')") }
        return parent?.appending(id) ?? ChildPath(components: [id])
    }
}

extension SupervisorDetails: WireCodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("strategy")
            strategy.encode(to: &writer)
            writer.key("maxRestarts")
            writer.integer(intensity.maxRestarts)
            writer.key("period")
            writer.duration(intensity.period)
            writer.key("recentRestarts")
            writer.array { writer in
                for instant in recentRestarts { writer.duration(instant) }
            }
            writer.key("templates")
            templates.encode(to: &writer)
            if let context {
                writer.key("context")
                ContextValue.encode(context, to: &writer)
            }
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var strategy: RestartStrategy?, maxRestarts: Int?, period: Duration?
        var recentRestarts: [Duration] = [], templates: [TemplateInfo] = [], context: [String: ContextValue]?
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "strategy": strategy = try RestartStrategy(from: &reader, field: "strategy")
            case "maxRestarts": maxRestarts = try reader.readInt("maxRestarts")
            case "period": period = try reader.readDuration("period")
            case "recentRestarts":
                try reader.readArray("recentRestarts") { reader throws(WireError) in
                    recentRestarts.append(try reader.readDuration("recentRestarts"))
                }
            case "templates": templates = try [TemplateInfo](from: &reader, field: "templates")
            case "context": context = try reader.readNull() ? nil : ContextValue.members(from: &reader, field: "context")
            default: try reader.skipValue()
            }
        }
        self.init(
            strategy: try required(strategy, "strategy", in: "supervisor"),
            intensity: RestartIntensity(
                maxRestarts: try required(maxRestarts, "maxRestarts", in: "supervisor"),
                within: try required(period, "period", in: "supervisor")),
            recentRestarts: recentRestarts, templates: templates, context: context)
    }
}
