import AshFlare
import AshFlareDashboard
import AshFlareRemote
import Foundation

/// The recording file format, version 1: JSON lines (docs/RECORDING.md).
///
/// ```
/// {"ashflareRecording":1,"tree":"shop","startedAt":"2026-12-02T02:21:00Z","source":"unix:///tmp/shop.sock","checkEvery":1000}
/// {"snapshot":{"sequence":0,"time":…,"root":{…}}}
/// {"event":{"sequence":1,"time":…,"type":"childExited",…}}
/// {"check":{"sequence":1000,…}}
/// ```
/// Snapshots and events are in the wire protocol's JSON (docs/PROTOCOL.md, ``WireJSON``).
public enum RecordingFormat {
    /// The header line.
    public static func encode(_ header: RecordingHeader) -> String {
        "{\"ashflareRecording\":\(header.version),\"tree\":\(quoted(header.tree)),\"startedAt\":\(quoted(header.startedAt)),"
            + "\"source\":\(quoted(header.source)),\"checkEvery\":\(header.checkEvery)}"
    }

    /// The line of an entry.
    public static func encode(_ entry: RecordingEntry) -> String {
        switch entry {
        case .snapshot(let snapshot): "{\"snapshot\":" + WireJSON.encode(snapshot) + "}"
        case .check(let snapshot): "{\"check\":" + WireJSON.encode(snapshot) + "}"
        case .event(let event): "{\"event\":" + WireJSON.encode(event) + "}"
        }
    }

    /// Reads a whole recording.
    /// - Parameter name: The file's name for error messages.
    /// - Throws: ``RecordingError`` naming the file, the line and what is wrong with it.
    public static func decode(_ text: String, name: String) throws(RecordingError) -> Recording {
        var header: RecordingHeader?
        var entries: [RecordingEntry] = []
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if line.isEmpty || line.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
            if header == nil {
                header = try decodeHeader(line, name: name, line: number)
            } else {
                entries.append(try decodeEntry(line, name: name, line: number))
            }
        }
        guard let header else { throw RecordingError("\(name): empty file; a recording begins with a header line") }
        guard case .snapshot? = entries.first else {
            throw RecordingError("\(name): no snapshot line after the header; a recording needs one to replay from")
        }
        return Recording(header: header, entries: entries)
    }

    /// Reads the header line.
    static func decodeHeader(_ line: Substring, name: String, line number: Int) throws(RecordingError) -> RecordingHeader {
        let place = "\(name):\(number)"
        guard let data = String(line).data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw RecordingError("\(place): the header is not a JSON object (is this an AshFlare recording?)") }
        guard let version = object["ashflareRecording"] as? Int else {
            throw RecordingError("\(place): the header has no field 'ashflareRecording' (the format version); is this an AshFlare recording?")
        }
        guard version <= RecordingHeader.currentVersion, version >= 1 else {
            throw RecordingError("\(place): format version \(version) is not supported (this flare reads 1...\(RecordingHeader.currentVersion))")
        }
        guard let tree = object["tree"] as? String else { throw RecordingError("\(place): the header's field 'tree' must be a string") }
        return RecordingHeader(
            version: version, tree: tree, startedAt: object["startedAt"] as? String ?? "", source: object["source"] as? String ?? "",
            checkEvery: object["checkEvery"] as? Int ?? 0)
    }

    /// Reads one line after the header.
    static func decodeEntry(_ line: Substring, name: String, line number: Int) throws(RecordingError) -> RecordingEntry {
        let place = "\(name):\(number)"
        for (prefix, kind) in [("{\"event\":", 0), ("{\"snapshot\":", 1), ("{\"check\":", 2)] where line.hasPrefix(prefix) {
            var body = line.dropFirst(prefix.count)
            while body.last == "\r" || body.last == " " { body = body.dropLast() }
            guard body.last == "}" else { throw RecordingError("\(place): the line does not end with '}' (cut short?)") }
            let json = String(body.dropLast())
            do {
                switch kind {
                case 0: return .event(try WireJSON.decodeEvent(json))
                case 1: return .snapshot(try WireJSON.decodeSnapshot(json))
                default: return .check(try WireJSON.decodeSnapshot(json))
                }
            } catch {
                throw RecordingError("\(place): bad \(["event", "snapshot", "check"][kind]): \(error.message)")
            }
        }
        throw RecordingError("\(place): expected {\"event\":…}, {\"snapshot\":…} or {\"check\":…} (was '\(line.prefix(40))')")
    }

    /// `text` as a JSON string.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

/// Why a recording cannot be read or written: names the file, and the line where it can.
public struct RecordingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong: `shop.rec:12: bad event: …`.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
