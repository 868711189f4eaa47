import AshFlare

/// The `result` of a successful reply; its shape depends on the request's op.
enum WireResult: Hashable, Sendable {
    /// `{}`: ping, unsubscribe, kill, terminate, restart, delete, shutdown, followLogs.
    case empty
    /// The hello reply.
    case hello(ServerHello)
    /// A snapshot object (op `snapshot`).
    case snapshot(TreeSnapshot)
    /// `{"snapshot":…}` (op `subscribe`).
    case subscribed(TreeSnapshot)
    /// `{"children":[…]}` (op `whichChildren`).
    case children([ChildInfo])
    /// A counts object (op `countChildren`).
    case counts(ChildCounts)
    /// `{"path":…}` (op `startChild`).
    case started(ChildPath)
    /// A log tail object (op `logs`).
    case logTail(LogTail)

    /// Which shape a reply to a request of an operation has.
    enum Shape: Hashable, Sendable {
        case empty, hello, snapshot, subscribed, children, counts, started, logTail

        /// The shape of the reply to `operation`.
        init(_ operation: WireRequest.Operation) {
            switch operation {
            case .hello: self = .hello
            case .snapshot: self = .snapshot
            case .subscribe: self = .subscribed
            case .whichChildren: self = .children
            case .countChildren: self = .counts
            case .startChild: self = .started
            case .logs: self = .logTail
            case .ping, .unsubscribe, .kill, .terminate, .restart, .delete, .shutdown, .followLogs: self = .empty
            }
        }
    }
}

extension WireResult: WireEncodable {
    func encode(to writer: inout JSONWriter) {
        switch self {
        case .empty: writer.object { _ in }
        case .hello(let hello): hello.encode(to: &writer)
        case .snapshot(let snapshot): snapshot.encode(to: &writer)
        case .subscribed(let snapshot):
            writer.object { writer in
                writer.key("snapshot")
                snapshot.encode(to: &writer)
            }
        case .children(let children):
            writer.object { writer in
                writer.key("children")
                children.encode(to: &writer)
            }
        case .counts(let counts): counts.encode(to: &writer)
        case .logTail(let tail): tail.encode(to: &writer)
        case .started(let path):
            writer.object { writer in
                writer.key("path")
                path.encode(to: &writer)
            }
        }
    }

    /// Reads a result of the given shape.
    init(from reader: inout JSONReader, shape: Shape) throws(WireError) {
        switch shape {
        case .empty:
            try reader.readObject("result") { reader, _ throws(WireError) in try reader.skipValue() }
            self = .empty
        case .hello: self = .hello(try ServerHello(from: &reader, field: "result"))
        case .snapshot: self = .snapshot(try TreeSnapshot(from: &reader, field: "result"))
        case .subscribed:
            var snapshot: TreeSnapshot?
            try reader.readObject("result") { reader, key throws(WireError) in
                if key.matches("snapshot") { snapshot = try TreeSnapshot(from: &reader, field: "snapshot") } else { try reader.skipValue() }
            }
            self = .subscribed(try required(snapshot, "snapshot", in: "the subscribe result"))
        case .children:
            var children: [ChildInfo]?
            try reader.readObject("result") { reader, key throws(WireError) in
                if key.matches("children") { children = try [ChildInfo](from: &reader, field: "children") } else { try reader.skipValue() }
            }
            self = .children(try required(children, "children", in: "the whichChildren result"))
        case .counts: self = .counts(try ChildCounts(from: &reader, field: "result"))
        case .logTail: self = .logTail(try LogTail(from: &reader, field: "result"))
        case .started:
            var path: ChildPath?
            try reader.readObject("result") { reader, key throws(WireError) in
                if key.matches("path") { path = try ChildPath(from: &reader, field: "path") } else { try reader.skipValue() }
            }
            self = .started(try required(path, "path", in: "the startChild result"))
        }
    }
}
