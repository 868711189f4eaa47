import AshFlare

// The JSON forms of a child's log: a line is
// `{"sequence":42,"incarnation":3,"time":1250000000,"stream":"stdout","text":"…","cut":0}`,
// a tail is `{"incarnation":3,"nextSequence":43,"evicted":0,"missed":0,"lines":[…]}`, and a
// follower's lag is `{"lagged":17}`.

extension LogStream: WireEnumeration {
    static let wireValues: [LogStream] = [.stdout, .stderr, .logger]
    static let wireNames: [StaticString] = ["stdout", "stderr", "logger"]
}

extension LogScope: WireEnumeration {
    static let wireValues: [LogScope] = [.all, .current, .previous]
    static let wireNames: [StaticString] = ["all", "current", "previous"]
}

extension LogLine: WireCodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("sequence")
            writer.integer(sequence)
            writer.key("incarnation")
            writer.integer(incarnation)
            writer.key("time")
            writer.duration(time)
            writer.key("stream")
            stream.encode(to: &writer)
            writer.key("text")
            writer.string(text)
            writer.key("cut")
            writer.integer(cutBytes)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var sequence: UInt64?, incarnation: UInt64?, time: Duration?, stream: LogStream?, text: String?, cut: Int?
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "sequence": sequence = try reader.readUInt64("sequence")
            case "incarnation": incarnation = try reader.readUInt64("incarnation")
            case "time": time = try reader.readDuration("time")
            case "stream": stream = try LogStream(from: &reader, field: "stream")
            case "text": text = try reader.readString("text")
            case "cut": cut = try reader.readInt("cut")
            default: try reader.skipValue()
            }
        }
        self.init(
            sequence: try required(sequence, "sequence", in: "a log line"), incarnation: try required(incarnation, "incarnation", in: "a log line"),
            time: try required(time, "time", in: "a log line"), stream: try required(stream, "stream", in: "a log line"),
            text: try required(text, "text", in: "a log line"), cutBytes: cut ?? 0)
    }
}

extension LogTail: WireCodable {
    func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.key("incarnation")
            writer.integer(incarnation)
            writer.key("nextSequence")
            writer.integer(nextSequence)
            writer.key("evicted")
            writer.integer(evictedLines)
            writer.key("missed")
            writer.integer(missedByFollowers)
            writer.key("lines")
            lines.encode(to: &writer)
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var incarnation: UInt64?, next: UInt64?, evicted: UInt64?, missed: UInt64?, lines: [LogLine]?
        try reader.readObject(field) { reader, key throws(WireError) in
            switch key {
            case "incarnation": incarnation = try reader.readUInt64("incarnation")
            case "nextSequence": next = try reader.readUInt64("nextSequence")
            case "evicted": evicted = try reader.readUInt64("evicted")
            case "missed": missed = try reader.readUInt64("missed")
            case "lines": lines = try [LogLine](from: &reader, field: "lines")
            default: try reader.skipValue()
            }
        }
        self.init(
            lines: try required(lines, "lines", in: "a log tail"), incarnation: try required(incarnation, "incarnation", in: "a log tail"),
            nextSequence: try required(next, "nextSequence", in: "a log tail"), evictedLines: evicted ?? 0, missedByFollowers: missed ?? 0)
    }
}

extension ChildLogEntry: WireCodable {
    func encode(to writer: inout JSONWriter) {
        switch self {
        case .line(let line): line.encode(to: &writer)
        case .lagged(let missed):
            writer.object { writer in
                writer.key("lagged")
                writer.integer(missed)
            }
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        let start = reader
        var missed: UInt64?
        try reader.readObject(field) { reader, key throws(WireError) in
            if key.matches("lagged") { missed = try reader.readUInt64("lagged") } else { try reader.skipValue() }
        }
        if let missed {
            self = .lagged(missed: missed)
            return
        }
        reader = start
        self = .line(try LogLine(from: &reader, field: field))
    }
}
