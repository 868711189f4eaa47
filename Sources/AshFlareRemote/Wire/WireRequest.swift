import AshFlare

/// A request frame, client to server: `{"id":7,"op":"kill","path":"shop/db"}`.
struct WireRequest: Hashable, Sendable {
    /// The client's id for the request, echoed in the reply.
    var id: UInt64
    /// What to do.
    var operation: Operation

    /// Every operation of the protocol (versions 1 and 2 have the same ops).
    enum Operation: Hashable, Sendable {
        /// The handshake: the protocol version the client asks for, every version it speaks
        /// (`versions`, v2; empty from a v1 client) and, where required, its token.
        case hello(version: Int, token: String?, client: String?, versions: [Int] = [])
        /// Does nothing; answers `{}` (a keep-alive and a liveness check).
        case ping
        /// The whole tree.
        case snapshot
        /// A snapshot, then every event after it as event frames tagged with this request's id.
        case subscribe
        /// Ends the subscription opened by request `subscription`.
        case unsubscribe(subscription: UInt64)
        /// The children of a supervisor.
        case whichChildren(ChildPath)
        /// Counts of the children of a supervisor.
        case countChildren(ChildPath)
        /// Fault injection; with `ifExecution` (v2) only if the child is still that execution.
        case kill(ChildPath, ifExecution: UInt64? = nil)
        /// Stops a child, keeping its spec; with `ifExecution` (v2), conditional like `kill`.
        case terminate(ChildPath, ifExecution: UInt64? = nil)
        /// Starts a stopped child; with `ifExecution` (v2), only if its last execution is that one.
        case restart(ChildPath, ifExecution: UInt64? = nil)
        /// Removes a stopped child's spec; with `ifExecution` (v2), conditional like `restart`.
        case delete(ChildPath, ifExecution: UInt64? = nil)
        /// Starts a child from a template.
        case startChild(supervisor: ChildPath, template: String, arguments: [String])
        /// Stops the whole tree; answers when it has stopped.
        case shutdown
        /// The newest lines of a child's log (`scope` all, current or previous incarnation).
        case logs(ChildPath, scope: LogScope, limit: Int?)
        /// Follows a child's log: `backlog` held lines, then every new one, as log frames
        /// tagged with this request's id (a subscription, ended with `unsubscribe`).
        case followLogs(ChildPath, backlog: Int)

        /// The `op` name on the wire.
        var name: String {
            switch self {
            case .hello: "hello"
            case .ping: "ping"
            case .snapshot: "snapshot"
            case .subscribe: "subscribe"
            case .unsubscribe: "unsubscribe"
            case .whichChildren: "whichChildren"
            case .countChildren: "countChildren"
            case .kill: "kill"
            case .terminate: "terminate"
            case .restart: "restart"
            case .delete: "delete"
            case .startChild: "startChild"
            case .shutdown: "shutdown"
            case .logs: "logs"
            case .followLogs: "followLogs"
            }
        }

        /// Whether the server may run it on the connection's event loop: it does little work
        /// itself and awaits the tree for the rest. A snapshot or a child list of any size, a
        /// template's user code and a subscription's set-up run on the concurrency pool.
        var isCheap: Bool {
            switch self {
            case .hello, .ping, .unsubscribe, .countChildren, .kill, .terminate, .restart, .delete, .shutdown: true
            case .snapshot, .subscribe, .whichChildren, .startChild, .logs, .followLogs: false
            }
        }

        /// The permission the operation needs.
        var requiredPermission: RemotePermission {
            switch self {
            case .hello, .ping, .snapshot, .subscribe, .unsubscribe, .whichChildren, .countChildren, .logs, .followLogs: .read
            case .kill, .terminate, .restart, .delete, .startChild, .shutdown: .control
            }
        }

        /// Every op name, in documentation order.
        static let names = [
            "hello", "ping", "snapshot", "subscribe", "unsubscribe", "whichChildren", "countChildren",
            "kill", "terminate", "restart", "delete", "startChild", "shutdown", "logs", "followLogs",
        ]
    }

    /// Why a frame is not a valid request, with the request's id when it could be read.
    struct Failure: Error, Hashable, Sendable {
        /// The request id, if the frame had a valid one.
        var id: UInt64?
        /// `invalidJSON`, `badRequest` or `unknownOp`.
        var code: RemoteError.Code
        /// What was wrong.
        var message: String
    }
}

extension WireRequest: WireEncodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("id")
            writer.integer(id)
            writer.key("op")
            writer.string(operation.name)
            switch operation {
            case .hello(let version, let token, let client, let versions):
                writer.key("version")
                writer.integer(version)
                if !versions.isEmpty {
                    writer.key("versions")
                    writer.array { writer in
                        for version in versions { writer.integer(version) }
                    }
                }
                if let token {
                    writer.key("token")
                    writer.string(token)
                }
                if let client {
                    writer.key("client")
                    writer.string(client)
                }
            case .ping, .snapshot, .subscribe, .shutdown:
                break
            case .unsubscribe(let subscription):
                writer.key("subscription")
                writer.integer(subscription)
            case .whichChildren(let path), .countChildren(let path):
                writer.key("path")
                path.encode(to: &writer)
            case .kill(let path, let execution), .terminate(let path, let execution), .restart(let path, let execution),
                 .delete(let path, let execution):
                writer.key("path")
                path.encode(to: &writer)
                if let execution {
                    writer.key("ifExecution")
                    writer.integer(execution)
                }
            case .startChild(let supervisor, let template, let arguments):
                writer.key("supervisor")
                supervisor.encode(to: &writer)
                writer.key("template")
                writer.string(template)
                writer.key("arguments")
                arguments.encodeStrings(to: &writer)
            case .logs(let path, let scope, let limit):
                writer.key("path")
                path.encode(to: &writer)
                writer.key("scope")
                scope.encode(to: &writer)
                if let limit {
                    writer.key("limit")
                    writer.integer(limit)
                }
            case .followLogs(let path, let backlog):
                writer.key("path")
                path.encode(to: &writer)
                writer.key("backlog")
                writer.integer(backlog)
            }
        }
    }
}

extension WireRequest {
    /// Decodes a request frame; never throws, so the server can always answer with a clear error.
    ///
    /// A field named twice is always refused (`badRequest`): a proxy reading the first `op` and
    /// a server reading the last must never disagree. With `strict` (protocol v2) so is a field
    /// the op does not take; without it (v1) such fields are ignored, except `shutdown`'s `path`
    /// and `ifExecution` (a v2 field whose loss would make a conditional operation unconditional).
    static func decode(_ bytes: UnsafeRawBufferPointer, strict: Bool = false, maxDepth: Int = 16) -> Result<WireRequest, Failure> {
        // Pass 1 checks the syntax and finds the id, so that every later error can name the request.
        let id: UInt64?
        do {
            id = try JSONReader.read(bytes, maxDepth: maxDepth) { reader throws(WireError) -> UInt64? in
                guard reader.peekKind() == .object else {
                    try reader.skipValue()
                    return nil
                }
                var id: UInt64?, ids = 0
                try reader.readObject("request") { reader, key throws(WireError) in
                    let range = try reader.skipValue()
                    if key.matches("id") {
                        ids += 1
                        var value = reader.subreader(range)
                        id = try? value.readUInt64("id")
                    }
                }
                // Two ids: no reply may pick one of them.
                return ids == 1 ? id : nil
            }
        } catch {
            return .failure(Failure(id: nil, code: .invalidJSON, message: "invalid JSON: \(error.message)"))
        }
        // Pass 2 reads the fields.
        do {
            let request = try JSONReader.read(bytes, maxDepth: maxDepth) { reader throws(WireError) in
                try WireRequest(from: &reader, strict: strict)
            }
            return .success(request)
        } catch {
            let code: RemoteError.Code =
                switch error.kind {
                case .syntax: .invalidJSON
                case .schema: .badRequest
                case .unknownOp: .unknownOp
                }
            return .failure(Failure(id: id, code: code, message: error.message))
        }
    }

    /// Decodes a request held in an array (tests and tools).
    static func decode(_ bytes: [UInt8], strict: Bool = false) -> Result<WireRequest, Failure> {
        bytes.withUnsafeBytes { decode($0, strict: strict) }
    }

    private init(from reader: inout JSONReader, strict: Bool) throws(WireError) {
        guard reader.peekKind() == .object else {
            throw .schema("a request must be a JSON object (was \(reader.peekKind()?.description ?? "nothing"))")
        }
        var id: UInt64?, op: String?, path: ChildPath?, supervisor: ChildPath?, template: String?
        var arguments: [String]?, version: Int?, versions: [Int]?, token: String?, client: String?, subscription: UInt64?
        var scope: LogScope?, limit: Int?, backlog: Int?, ifExecution: UInt64?
        // Short names stay inline in String: no allocation per field.
        var present: [String] = []
        try reader.readObject("request") { reader, key throws(WireError) in
            let name = key.name
            guard !present.contains(name) else {
                throw .schema("the request has the field '\(name)' twice; each field may appear once")
            }
            present.append(name)
            switch key {
            case "id": id = try reader.readUInt64("id")
            case "op": op = try reader.readString("op")
            case "path": path = try ChildPath(from: &reader, field: "path")
            case "supervisor": supervisor = try ChildPath(from: &reader, field: "supervisor")
            case "template": template = try reader.readString("template")
            case "arguments": arguments = try [String](strings: &reader, field: "arguments")
            case "version": version = try reader.readInt("version")
            case "versions": versions = try Self.readVersions(&reader)
            case "token": token = try reader.readString("token")
            case "client": client = try reader.readString("client")
            case "subscription": subscription = try reader.readUInt64("subscription")
            case "scope": scope = try LogScope(from: &reader, field: "scope")
            case "limit": limit = try reader.readCount("limit")
            case "backlog": backlog = try reader.readCount("backlog")
            case "ifExecution": ifExecution = try reader.readUInt64("ifExecution")
            default: try reader.skipValue()
            }
        }
        self.id = try required(id, "id", in: "the request")
        let name = try required(op, "op", in: "the request")
        let object = "the '\(name)' request"
        switch name {
        case "hello":
            operation = .hello(
                version: try required(version, "version", in: object), token: token, client: client, versions: versions ?? [])
        case "ping": operation = .ping
        case "snapshot": operation = .snapshot
        case "subscribe": operation = .subscribe
        case "unsubscribe": operation = .unsubscribe(subscription: try required(subscription, "subscription", in: object))
        case "whichChildren": operation = .whichChildren(try required(path, "path", in: object))
        case "countChildren": operation = .countChildren(try required(path, "path", in: object))
        case "kill": operation = .kill(try required(path, "path", in: object), ifExecution: ifExecution)
        case "terminate": operation = .terminate(try required(path, "path", in: object), ifExecution: ifExecution)
        case "restart": operation = .restart(try required(path, "path", in: object), ifExecution: ifExecution)
        case "delete": operation = .delete(try required(path, "path", in: object), ifExecution: ifExecution)
        case "startChild":
            operation = .startChild(
                supervisor: try required(supervisor, "supervisor", in: object), template: try required(template, "template", in: object),
                arguments: arguments ?? [])
        case "shutdown":
            // Guessing a subtree shutdown must never stop the whole tree, in any version.
            if let path {
                throw .schema(
                    "'shutdown' stops the whole tree and takes no 'path'; to stop the subtree '\(path)', send 'terminate' with its path")
            }
            operation = .shutdown
        case "logs": operation = .logs(try required(path, "path", in: object), scope: scope ?? .current, limit: limit)
        case "followLogs": operation = .followLogs(try required(path, "path", in: object), backlog: backlog ?? 0)
        default:
            throw WireError(kind: .unknownOp, message: "unknown op '\(name)'; the ops are \(Operation.names.joined(separator: ", "))")
        }
        guard strict else {
            // A v1 connection ignores unknown fields, but a condition silently dropped would turn
            // "kill it only if it is still the one I saw" into an unconditional kill.
            if present.contains("ifExecution") {
                throw .schema("field 'ifExecution' needs protocol version 2; this connection speaks version 1 (say hello with version 2)")
            }
            return
        }
        let takes = operation.fields
        let unknown = present.filter { $0 != "id" && $0 != "op" && !takes.contains($0) }
        guard unknown.isEmpty else {
            let listed = unknown.map { "'\($0)'" }.joined(separator: ", ")
            let accepted = (["id", "op"] + takes).joined(separator: ", ")
            throw .schema("\(object) does not take the field\(unknown.count == 1 ? "" : "s") \(listed); it takes \(accepted)")
        }
    }

    private static func readVersions(_ reader: inout JSONReader) throws(WireError) -> [Int] {
        var versions: [Int] = []
        try reader.readArray("versions") { reader throws(WireError) in
            guard versions.count < 16 else { throw .schema("field 'versions' lists more than 16 versions") }
            versions.append(try reader.readInt("versions"))
        }
        return versions
    }
}

extension WireRequest.Operation {
    /// The fields the op takes besides `id` and `op` (protocol v2 refuses any other).
    var fields: [String] {
        switch self {
        case .hello: ["version", "versions", "token", "client"]
        case .ping, .snapshot, .subscribe, .shutdown: []
        case .unsubscribe: ["subscription"]
        case .whichChildren, .countChildren: ["path"]
        case .kill, .terminate, .restart, .delete: ["path", "ifExecution"]
        case .startChild: ["supervisor", "template", "arguments"]
        case .logs: ["path", "scope", "limit"]
        case .followLogs: ["path", "backlog"]
        }
    }
}

extension JSONReader {
    /// Reads a count: an integer from 0 to 1,000,000 (a log limit or backlog).
    fileprivate mutating func readCount(_ field: String) throws(WireError) -> Int {
        let value = try readInt(field)
        guard (0...1_000_000).contains(value) else {
            throw .schema("field '\(field)' must be an integer from 0 to 1000000 (was \(value))")
        }
        return value
    }
}
