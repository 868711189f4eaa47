import AshFlare

// The JSON forms of the engine's small value types. The rule throughout: an enumeration is a
// string naming its case; a case that carries a value is a one-member object `{"case": value}`.
// Durations and instants are integer nanoseconds (instants: since the tree started).

extension ChildType: WireEnumeration {
    static let wireValues: [ChildType] = [.worker, .supervisor]
    static let wireNames: [StaticString] = ["worker", "supervisor"]
}

extension RestartPolicy: WireEnumeration {
    static let wireValues: [RestartPolicy] = [.permanent, .transient, .temporary]
    static let wireNames: [StaticString] = ["permanent", "transient", "temporary"]
}

extension RestartStrategy: WireEnumeration {
    static let wireValues: [RestartStrategy] = [.oneForOne, .oneForAll, .restForOne]
    static let wireNames: [StaticString] = ["oneForOne", "oneForAll", "restForOne"]
}

extension ChildState: WireCodable {
    func encode(to writer: inout JSONWriter) {
        switch self {
        case .starting: writer.string("starting" as StaticString)
        case .running: writer.string("running" as StaticString)
        case .backingOff(let until):
            writer.object { writer in
                writer.key("backingOff")
                writer.duration(until)
            }
        case .stopping: writer.string("stopping" as StaticString)
        case .stopped: writer.string("stopped" as StaticString)
        case .failed: writer.string("failed" as StaticString)
        case .abandoned: writer.string("abandoned" as StaticString)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        if reader.peekKind() == .object {
            var until: Duration?
            try reader.readObject(field) { reader, key throws(WireError) in
                switch key {
                case "backingOff": until = try reader.readDuration("backingOff")
                default: throw .schema("field '\(field)' has an unknown state '\(key.name)'")
                }
            }
            self = .backingOff(until: try required(until, "backingOff", in: "state"))
            return
        }
        self = Self.simpleStates[try reader.readName(field, among: Self.simpleNames, also: ", {\"backingOff\":…}")]
    }

    private static let simpleStates: [ChildState] = [.starting, .running, .stopping, .stopped, .failed, .abandoned]
    private static let simpleNames: [StaticString] = ["starting", "running", "stopping", "stopped", "failed", "abandoned"]
}

extension ChildExitReason: WireCodable {
    func encode(to writer: inout JSONWriter) {
        switch self {
        case .normal: writer.string("normal" as StaticString)
        case .shutdown: writer.string("shutdown" as StaticString)
        case .killed: writer.string("killed" as StaticString)
        case .error(let message):
            writer.object { writer in
                writer.key("error")
                writer.string(message)
            }
        case .stopped(let outcome):
            writer.object { writer in
                writer.key("stopped")
                writer.string(outcome.rawValue)
            }
        case .exitStatus(let status):
            writer.object { writer in
                writer.key("exitStatus")
                writer.integer(Int(status))
            }
        case .signal(let number):
            writer.object { writer in
                writer.key("signal")
                writer.integer(Int(number))
                writer.key("name")
                writer.string(ChildExitReason.signalName(number))
            }
        case .abandoned: writer.string("abandoned" as StaticString)
        case .escalated: writer.string("escalated" as StaticString)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        if reader.peekKind() == .object {
            var decoded: ChildExitReason?
            try reader.readObject(field) { reader, key throws(WireError) in
                switch key {
                case "error": decoded = .error(try reader.readString("error"))
                case "stopped":
                    let index = try reader.readName("stopped", among: Self.outcomeNames)
                    decoded = .stopped(StopOutcome.allCases[index])
                case "exitStatus": decoded = .exitStatus(try Self.readInt32(&reader, "exitStatus"))
                case "signal": decoded = .signal(try Self.readInt32(&reader, "signal"))
                case "name": _ = try reader.readString("name")
                default: throw .schema("field '\(field)' has an unknown exit reason '\(key.name)'")
                }
            }
            self = try required(decoded, "error", in: "exit reason")
            return
        }
        self = Self.simpleReasons[try reader.readName(field, among: Self.simpleNames, also: ", {\"error\":…}, {\"stopped\":…}, {\"exitStatus\":…}, {\"signal\":…}")]
    }

    private static func readInt32(_ reader: inout JSONReader, _ field: String) throws(WireError) -> Int32 {
        let value = try reader.readInt(field)
        guard let narrow = Int32(exactly: value) else { throw .schema("field '\(field)' is out of range (was \(value))") }
        return narrow
    }

    private static let simpleReasons: [ChildExitReason] = [.normal, .shutdown, .killed, .abandoned, .escalated]
    private static let simpleNames: [StaticString] = ["normal", "shutdown", "killed", "abandoned", "escalated"]
    private static let outcomeNames: [StaticString] = ["exitedAfterRequest", "killedAfterTimeout", "killedAtOnce", "cancelledNotAwaited"]
}

extension ShutdownPolicy: WireCodable {
    func encode(to writer: inout JSONWriter) {
        switch self {
        case .timeout(let duration):
            writer.object { writer in
                writer.key("timeout")
                writer.duration(duration)
            }
        case .brutal: writer.string("brutal" as StaticString)
        case .infinity: writer.string("infinity" as StaticString)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        if reader.peekKind() == .object {
            var timeout: Duration?
            try reader.readObject(field) { reader, key throws(WireError) in
                switch key {
                case "timeout": timeout = try reader.readDuration("timeout")
                default: throw .schema("field '\(field)' has an unknown shutdown policy '\(key.name)'")
                }
            }
            self = .timeout(try required(timeout, "timeout", in: "shutdown policy"))
            return
        }
        self = try reader.readName(field, among: ["brutal", "infinity"], also: ", {\"timeout\":…}") == 0 ? .brutal : .infinity
    }
}

extension Backoff: WireCodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("initial")
            writer.duration(initial)
            writer.key("maximum")
            writer.duration(maximum)
            writer.key("jitter")
            writer.number(jitter)
            writer.key("resetAfter")
            writer.duration(resetAfter)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var initial: Duration?, maximum: Duration?, jitter: Double?, resetAfter: Duration?
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "initial": initial = try reader.readDuration("initial")
            case "maximum": maximum = try reader.readDuration("maximum")
            case "jitter": jitter = try reader.readDouble("jitter")
            case "resetAfter": resetAfter = try reader.readDuration("resetAfter")
            default: try reader.skipValue()
            }
        }
        self.init(
            initial: try required(initial, "initial", in: "backoff"), maximum: try required(maximum, "maximum", in: "backoff"),
            jitter: try required(jitter, "jitter", in: "backoff"), resetAfter: try required(resetAfter, "resetAfter", in: "backoff"))
    }
}

extension TemplateInfo: WireCodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("name")
            writer.string(name)
            writer.key("summary")
            writer.string(summary)
            writer.key("parameters")
            parameters.encodeStrings(to: &writer)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var name: String?, summary: String?, parameters: [String]?
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "name": name = try reader.readString("name")
            case "summary": summary = try reader.readString("summary")
            case "parameters": parameters = try [String](strings: &reader, field: "parameters")
            default: try reader.skipValue()
            }
        }
        self.init(
            name: try required(name, "name", in: "template"), summary: summary ?? "", parameters: parameters ?? [])
    }
}

extension ChildInfo: WireCodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("id")
            writer.string(id)
            writer.key("path")
            path.encode(to: &writer)
            writer.key("type")
            type.encode(to: &writer)
            writer.key("restart")
            restartPolicy.encode(to: &writer)
            writer.key("state")
            state.encode(to: &writer)
            writer.key("incarnation")
            writer.integer(incarnation)
            writer.key("execution")
            writer.integer(execution)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var id: String?, path: ChildPath?, type: ChildType?, restart: RestartPolicy?, state: ChildState?, incarnation: UInt64?
        var execution: UInt64 = 0
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "id": id = try reader.readString("id")
            case "path": path = try ChildPath(from: &reader, field: "path")
            case "type": type = try ChildType(from: &reader, field: "type")
            case "restart": restart = try RestartPolicy(from: &reader, field: "restart")
            case "state": state = try ChildState(from: &reader, field: "state")
            case "incarnation": incarnation = try reader.readUInt64("incarnation")
            case "execution": execution = try reader.readUInt64("execution")
            default: try reader.skipValue()
            }
        }
        self.init(
            id: try required(id, "id", in: "child"), path: try required(path, "path", in: "child"),
            type: try required(type, "type", in: "child"), restartPolicy: try required(restart, "restart", in: "child"),
            state: try required(state, "state", in: "child"), incarnation: try required(incarnation, "incarnation", in: "child"),
            execution: execution)
    }
}

extension ChildCounts: WireCodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("specs")
            writer.integer(specs)
            writer.key("active")
            writer.integer(active)
            writer.key("supervisors")
            writer.integer(supervisors)
            writer.key("workers")
            writer.integer(workers)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var specs: Int?, active: Int?, supervisors: Int?, workers: Int?
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "specs": specs = try reader.readInt("specs")
            case "active": active = try reader.readInt("active")
            case "supervisors": supervisors = try reader.readInt("supervisors")
            case "workers": workers = try reader.readInt("workers")
            default: try reader.skipValue()
            }
        }
        self.init(
            specs: try required(specs, "specs", in: "counts"), active: try required(active, "active", in: "counts"),
            supervisors: try required(supervisors, "supervisors", in: "counts"), workers: try required(workers, "workers", in: "counts"))
    }
}
