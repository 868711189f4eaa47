import AshFlare
import AshFlareDashboard
#if canImport(Glibc)
import Glibc
#endif

/// A recording file being written: each event's lines are written out as they come (so the
/// file is complete up to the last event even if the recorder is killed), at most 64 KiB at once.
public final class RecordingFile: RecordingSink {
    /// The file's path.
    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []

    /// Creates (or replaces) the file at `path`, mode 0644.
    /// - Throws: ``RecordingError`` naming the path and the system's reason.
    public init(creating path: String) throws(RecordingError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RecordingError("\(path): cannot create the recording (\(Self.reason()))") }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        try? flush()
        close(fd)
    }

    public func write(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

    public func flushIfNeeded() throws {
        if !buffer.isEmpty { try flush() }
    }

    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw RecordingError("\(path): cannot write the recording (\(Self.reason()))")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads the recording at `path`.
    /// - Throws: ``RecordingError`` naming the file, and the line where one is bad.
    public static func read(_ path: String) throws(RecordingError) -> Recording {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RecordingError("\(path): cannot open the recording (\(reason()))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RecordingError("\(path): cannot read the recording (\(reason()))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return try RecordingFormat.decode(String(decoding: bytes, as: UTF8.self), name: path)
    }

    private static func reason() -> String {
        guard let text = strerror(errno) else { return "error \(errno)" }
        return String(validatingCString: text) ?? "error \(errno)"
    }
}

/// Lines kept in memory (for tests and tools that record without a file).
public final class RecordingLines: RecordingSink, Sendable {
    private let lock = Locked<[String]>([])

    /// Creates an empty sink.
    public init() {}

    /// The lines written so far.
    public var lines: [String] { lock.withLock { $0 } }

    /// The lines as one text, each ended by a newline.
    public var text: String { lines.map { $0 + "\n" }.joined() }

    public func write(_ line: String) throws { lock.withLock { $0.append(line) } }
    public func flushIfNeeded() throws {}
    public func flush() throws {}
}
