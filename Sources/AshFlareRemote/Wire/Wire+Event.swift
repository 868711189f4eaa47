import AshFlare

// An event on the wire is flat: `{"sequence":…,"time":…,"type":"childExited","path":…,…}`, with
// the fields of its type beside the common ones (docs/PROTOCOL.md lists every type).

extension SupervisorEvent: WireCodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("sequence")
            writer.integer(sequence)
            writer.key("time")
            writer.duration(time)
            if let execution {
                writer.key("execution")
                writer.integer(execution)
            }
            writer.key("type")
            switch kind {
            case .childStarted(let path, let incarnation):
                writer.string("childStarted" as StaticString)
                writer.key("path")
                path.encode(to: &writer)
                writer.key("incarnation")
                writer.integer(incarnation)
            case .childExited(let path, let incarnation, let reason):
                writer.string("childExited" as StaticString)
                writer.key("path")
                path.encode(to: &writer)
                writer.key("incarnation")
                writer.integer(incarnation)
                writer.key("reason")
                reason.encode(to: &writer)
            case .restartScheduled(let path, let delay):
                writer.string("restartScheduled" as StaticString)
                writer.key("path")
                path.encode(to: &writer)
                writer.key("delay")
                writer.duration(delay)
            case .intensityChanged(let supervisor, let restarts, let maxRestarts):
                writer.string("intensityChanged" as StaticString)
                writer.key("supervisor")
                supervisor.encode(to: &writer)
                writer.key("restarts")
                writer.integer(restarts)
                writer.key("maxRestarts")
                writer.integer(maxRestarts)
            case .escalated(let supervisor):
                writer.string("escalated" as StaticString)
                writer.key("supervisor")
                supervisor.encode(to: &writer)
            case .childAdded(let path):
                writer.string("childAdded" as StaticString)
                writer.key("path")
                path.encode(to: &writer)
                if let node {
                    writer.key("node")
                    node.encode(to: &writer)
                }
            case .childRemoved(let path):
                writer.string("childRemoved" as StaticString)
                writer.key("path")
                path.encode(to: &writer)
            case .abandoned(let path, let incarnation):
                writer.string("abandoned" as StaticString)
                writer.key("path")
                path.encode(to: &writer)
                writer.key("incarnation")
                writer.integer(incarnation)
            case .restartCancelled(let path):
                writer.string("restartCancelled" as StaticString)
                writer.key("path")
                path.encode(to: &writer)
            case .shutdownBegan(let supervisor):
                writer.string("shutdownBegan" as StaticString)
                writer.key("supervisor")
                supervisor.encode(to: &writer)
            case .shutdownFinished(let supervisor):
                writer.string("shutdownFinished" as StaticString)
                writer.key("supervisor")
                supervisor.encode(to: &writer)
            case .lagged(let missed):
                writer.string("lagged" as StaticString)
                writer.key("missed")
                writer.integer(missed)
            }
        }
    }

    /// The event type names, as `type` carries them.
    static let typeNames = [
        "childStarted", "childExited", "restartScheduled", "intensityChanged", "escalated", "childAdded",
        "childRemoved", "abandoned", "restartCancelled", "shutdownBegan", "shutdownFinished", "lagged",
    ]

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var sequence: UInt64?, time: Duration?, type: String?, path: ChildPath?, supervisor: ChildPath?
        var incarnation: UInt64?, execution: UInt64?, reason: ChildExitReason?, delay: Duration?, restarts: Int?, maxRestarts: Int?, missed: UInt64?
        // A childAdded node's path needs the event's path, which may come later: decoded last.
        var nodeRange: Range<Int>?
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "sequence": sequence = try reader.readUInt64("sequence")
            case "time": time = try reader.readDuration("time")
            case "type": type = try reader.readString("type")
            case "path": path = try ChildPath(from: &reader, field: "path")
            case "supervisor": supervisor = try ChildPath(from: &reader, field: "supervisor")
            case "incarnation": incarnation = try reader.readUInt64("incarnation")
            case "execution": execution = try reader.readUInt64("execution")
            case "reason": reason = try ChildExitReason(from: &reader, field: "reason")
            case "delay": delay = try reader.readDuration("delay")
            case "restarts": restarts = try reader.readInt("restarts")
            case "maxRestarts": maxRestarts = try reader.readInt("maxRestarts")
            case "missed": missed = try reader.readUInt64("missed")
            case "node":
                guard reader.peekKind() == .object else { throw .type(of: "node", expected: "an object", found: reader.peekKind()) }
                nodeRange = try reader.skipValue()
            default: try reader.skipValue()
            }
        }
        let name = try required(type, "type", in: "event")
        let object = "event '\(name)'"
        let kind: Kind
        switch name {
        case "childStarted":
            kind = .childStarted(path: try required(path, "path", in: object), incarnation: try required(incarnation, "incarnation", in: object))
        case "childExited":
            kind = .childExited(
                path: try required(path, "path", in: object), incarnation: try required(incarnation, "incarnation", in: object),
                reason: try required(reason, "reason", in: object))
        case "restartScheduled":
            kind = .restartScheduled(path: try required(path, "path", in: object), delay: try required(delay, "delay", in: object))
        case "intensityChanged":
            kind = .intensityChanged(
                supervisor: try required(supervisor, "supervisor", in: object), restarts: try required(restarts, "restarts", in: object),
                maxRestarts: try required(maxRestarts, "maxRestarts", in: object))
        case "escalated": kind = .escalated(supervisor: try required(supervisor, "supervisor", in: object))
        case "childAdded": kind = .childAdded(path: try required(path, "path", in: object))
        case "childRemoved": kind = .childRemoved(path: try required(path, "path", in: object))
        case "abandoned":
            kind = .abandoned(path: try required(path, "path", in: object), incarnation: try required(incarnation, "incarnation", in: object))
        case "restartCancelled": kind = .restartCancelled(path: try required(path, "path", in: object))
        case "shutdownBegan": kind = .shutdownBegan(supervisor: try required(supervisor, "supervisor", in: object))
        case "shutdownFinished": kind = .shutdownFinished(supervisor: try required(supervisor, "supervisor", in: object))
        case "lagged": kind = .lagged(missed: try required(missed, "missed", in: object))
        default:
            throw .schema("field 'type' must be one of \(Self.typeNames.joined(separator: ", ")) (was '\(name)')")
        }
        var node: NodeSnapshot?
        if let nodeRange, case .childAdded(let added) = kind {
            var sub = reader.subreader(nodeRange)
            node = try NodeSnapshot(from: &sub, parent: added.parent, field: "node")
            guard node?.path == added else { throw .schema("field 'node' of \(object) is node '\(node?.path.description ?? "")', not '\(added)'") }
        }
        self.init(
            sequence: try required(sequence, "sequence", in: "event"), time: try required(time, "time", in: "event"), kind: kind,
            execution: execution, node: node)
    }
}
