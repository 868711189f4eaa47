import AshFlare

/// The protocol's JSON forms of snapshots, events and log lines, for tools that print or store them
/// (`flare tree --json`, `flare events --json`, `flare logs --json`).
///
/// The text is exactly what travels on the wire: compact, one line, durations and instants as
/// integer nanoseconds (see docs/PROTOCOL.md).
public enum WireJSON {
    /// The JSON of a snapshot.
    public static func encode(_ snapshot: TreeSnapshot) -> String { snapshot.wireJSON }

    /// The JSON of an event.
    public static func encode(_ event: SupervisorEvent) -> String { event.wireJSON }

    /// The JSON of a log entry: a line, or `{"lagged":N}`.
    public static func encode(_ entry: ChildLogEntry) -> String { entry.wireJSON }

    /// Reads a snapshot from its JSON.
    /// - Throws: ``RemoteError`` with code `invalidJSON` or `badRequest`.
    public static func decodeSnapshot(_ json: String) throws(RemoteError) -> TreeSnapshot {
        try decode(json)
    }

    /// Reads an event from its JSON.
    /// - Throws: ``RemoteError`` with code `invalidJSON` or `badRequest`.
    public static func decodeEvent(_ json: String) throws(RemoteError) -> SupervisorEvent {
        try decode(json)
    }

    private static func decode<T: WireDecodable>(_ json: String) throws(RemoteError) -> T {
        do {
            return try T(wireBytes: Array(json.utf8))
        } catch {
            throw RemoteError(error.kind == .syntax ? .invalidJSON : .badRequest, error.message)
        }
    }
}
