import AshFlare

/// What a server tells a client in reply to `hello`.
public struct ServerHello: Hashable, Sendable {
    /// The protocol version both sides now speak.
    public var version: Int
    /// The server's software name and version, for logs.
    public var server: String
    /// The path of the served tree's root supervisor.
    public var root: ChildPath
    /// What this connection may do.
    public var permission: RemotePermission
    /// The largest frame, in bytes, the server accepts from the client.
    public var maxFrameSize: Int

    /// Creates a hello reply.
    public init(version: Int, server: String, root: ChildPath, permission: RemotePermission, maxFrameSize: Int) {
        self.version = version
        self.server = server
        self.root = root
        self.permission = permission
        self.maxFrameSize = maxFrameSize
    }
}

extension ServerHello: WireCodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("version")
            writer.integer(version)
            writer.key("server")
            writer.string(server)
            writer.key("root")
            root.encode(to: &writer)
            writer.key("permission")
            writer.string(permission.name)
            writer.key("maxFrameSize")
            writer.integer(maxFrameSize)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var version: Int?, server: String?, root: ChildPath?, permission: RemotePermission?, maxFrameSize: Int?
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "version": version = try reader.readInt("version")
            case "server": server = try reader.readString("server")
            case "root": root = try ChildPath(from: &reader, field: "root")
            case "permission":
                let name = try reader.readString("permission")
                guard let value = RemotePermission(name: name) else {
                    throw .schema("field 'permission' must be one of read, control (was '\(name)')")
                }
                permission = value
            case "maxFrameSize": maxFrameSize = try reader.readInt("maxFrameSize")
            default: try reader.skipValue()
            }
        }
        self.init(
            version: try required(version, "version", in: "hello"), server: server ?? "",
            root: try required(root, "root", in: "hello"), permission: try required(permission, "permission", in: "hello"),
            maxFrameSize: try required(maxFrameSize, "maxFrameSize", in: "hello"))
    }
}
