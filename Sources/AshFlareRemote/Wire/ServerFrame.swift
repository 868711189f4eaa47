import AshFlare

/// A frame from server to client: a reply, an error reply, an event, or the end of a subscription.
enum ServerFrame: Hashable, Sendable {
    /// `{"id":7,"result":{…}}`: request 7 succeeded.
    case reply(id: UInt64, WireResult)
    /// `{"id":7,"error":{"code":"childNotFound","message":"…"}}`; the id is `null` when the
    /// error concerns the connection or a frame whose id could not be read.
    case error(id: UInt64?, code: String, message: String)
    /// `{"subscription":3,"event":{…}}`: an event for the subscription opened by request 3.
    case event(subscription: UInt64, SupervisorEvent)
    /// `{"subscription":3,"end":"treeStopped"}`: no more events will come for subscription 3.
    case end(subscription: UInt64, reason: String)
    /// `{"subscription":4,"log":{…}}`: a line (or a lag report) of the log followed by request 4.
    case log(subscription: UInt64, ChildLogEntry)

    /// The reason of an ``end(subscription:reason:)`` frame when the tree has stopped.
    static let treeStopped = "treeStopped"
    /// The reason of an ``end(subscription:reason:)`` frame when a followed log has ended (its
    /// child was removed, or its supervisor or the tree stopped).
    static let logEnded = "logEnded"

    /// An error frame from a ``RemoteError``.
    static func error(id: UInt64?, _ error: RemoteError) -> ServerFrame {
        .error(id: id, code: error.code.name, message: error.message)
    }
}

extension ServerFrame: WireEncodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            switch self {
            case .reply(let id, let result):
                writer.key("id")
                writer.integer(id)
                writer.key("result")
                result.encode(to: &writer)
            case .error(let id, let code, let message):
                writer.key("id")
                if let id { writer.integer(id) } else { writer.null() }
                writer.key("error")
                writer.object { writer in
                    writer.key("code")
                    writer.string(code)
                    writer.key("message")
                    writer.string(message)
                }
            case .event(let subscription, let event):
                writer.key("subscription")
                writer.integer(subscription)
                writer.key("event")
                event.encode(to: &writer)
            case .end(let subscription, let reason):
                writer.key("subscription")
                writer.integer(subscription)
                writer.key("end")
                writer.string(reason)
            case .log(let subscription, let entry):
                writer.key("subscription")
                writer.integer(subscription)
                writer.key("log")
                entry.encode(to: &writer)
            }
        }
    }
}

extension ServerFrame {
    /// Decodes a server frame; `shape` tells what the result of a pending request looks like.
    static func decode(
        _ bytes: UnsafeRawBufferPointer, maxDepth: Int = 512, shape: (UInt64) -> WireResult.Shape?
    ) throws(WireError) -> ServerFrame {
        try JSONReader.read(bytes, maxDepth: maxDepth) { reader throws(WireError) in
            var id: UInt64?, hasNullID = false, result: Range<Int>?, error: (code: String, message: String)?
            var subscription: UInt64?, event: SupervisorEvent?, end: String?, decoded: WireResult?, log: ChildLogEntry?
            try reader.readObject("frame") { reader, key throws(WireError) in
                switch key {
                case "id":
                    if try reader.readNull() { hasNullID = true } else { id = try reader.readUInt64("id") }
                case "result":
                    // The id comes first from our server: decode at once. Otherwise decode later.
                    if let id, let expected = shape(id) {
                        decoded = try WireResult(from: &reader, shape: expected)
                    } else {
                        result = try reader.skipValue()
                    }
                case "error":
                    var code: String?, message: String?
                    try reader.readObject("error") { reader, key throws(WireError) in
                        switch key {
                        case "code": code = try reader.readString("code")
                        case "message": message = try reader.readString("message")
                        default: try reader.skipValue()
                        }
                    }
                    error = (try required(code, "code", in: "an error"), message ?? "")
                case "subscription": subscription = try reader.readUInt64("subscription")
                case "event": event = try SupervisorEvent(from: &reader, field: "event")
                case "end": end = try reader.readString("end")
                case "log": log = try ChildLogEntry(from: &reader, field: "log")
                default: try reader.skipValue()
                }
            }
            if let error {
                guard id != nil || hasNullID else { throw .missing("id", in: "an error reply") }
                return .error(id: id, code: error.code, message: error.message)
            }
            if let decoded, let id { return .reply(id: id, decoded) }
            if let result {
                let id = try required(id, "id", in: "a reply")
                guard let expected = shape(id) else { throw .schema("a reply to request \(id), which is not pending") }
                var sub = reader.subreader(result)
                return .reply(id: id, try WireResult(from: &sub, shape: expected))
            }
            if let event { return .event(subscription: try required(subscription, "subscription", in: "an event frame"), event) }
            if let log { return .log(subscription: try required(subscription, "subscription", in: "a log frame"), log) }
            if let end { return .end(subscription: try required(subscription, "subscription", in: "an end frame"), reason: end) }
            throw .schema("a frame must have 'result', 'error', 'event', 'log' or 'end'")
        }
    }

    /// Decodes a frame held in an array (tests and tools).
    static func decode(_ bytes: [UInt8], shape: (UInt64) -> WireResult.Shape?) throws(WireError) -> ServerFrame {
        let result: Result<ServerFrame, WireError> = bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) -> ServerFrame in try decode(raw, shape: shape) }
        }
        return try result.get()
    }
}
