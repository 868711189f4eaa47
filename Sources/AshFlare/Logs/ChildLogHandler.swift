import Logging

/// A swift-log handler that writes a worker's log messages into its node's ``ChildLog``.
///
/// A worker gets a `Logger` using it on ``ChildContext/logger``; nothing is bootstrapped, so
/// the application's own logging is untouched. Lines look like `warning: cache miss key=42`.
public struct ChildLogHandler: LogHandler {
    /// The log written to.
    public let log: ChildLog
    /// The lowest level written; `.info` unless set.
    public var logLevel: Logger.Level
    /// Metadata added to every message.
    public var metadata: Logger.Metadata = [:]
    /// Where more metadata comes from (swift-log's task-local providers).
    public var metadataProvider: Logger.MetadataProvider?

    /// Creates a handler writing into `log`.
    public init(log: ChildLog, logLevel: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) {
        self.log = log
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    /// Metadata for `key`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one message as one line.
    public func log(event: LogEvent) {
        log.append(Self.format(event.level, event.message, merged(event.metadata)), stream: .logger)
    }

    private func merged(_ explicit: Logger.Metadata?) -> Logger.Metadata {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let explicit { all.merge(explicit) { _, new in new } }
        return all
    }

    /// `level: message key=value …`, keys sorted so lines are stable.
    static func format(_ level: Logger.Level, _ message: Logger.Message, _ metadata: Logger.Metadata) -> String {
        var line = "\(level): \(message)"
        for key in metadata.keys.sorted() { line += " \(key)=\(metadata[key]!)" }
        return line
    }
}

extension ChildContext {
    /// A `Logger` whose messages go into this child's log (``ChildLog``), labelled with its
    /// path; messages below `.info` are dropped unless the worker lowers `logLevel`. Logs
    /// nowhere when the child has no log.
    public var logger: Logger {
        guard let log else { return Logger(label: path.description, factory: { _ in SwiftLogNoOpLogHandler() }) }
        return Logger(label: path.description, factory: { _ in ChildLogHandler(log: log) })
    }
}
