import AshFlare
import AshFlareDashboard
#if canImport(Glibc)
import Glibc
#endif

/// The effects of the logs pane: follows one worker's log into the inbox (the lines held, then
/// each new one), reads a previous incarnation, writes a file. One log is followed at a time.
struct LogFollower {
    /// Follows the log of `path` through `control` until the task is cancelled or the log ends.
    static func follow(node: Int, path: ChildPath, control: (any SupervisionControl)?, inbox: Inbox) async {
        guard let control else {
            inbox.post(.logFailed(node: node, path: path, message: "the tree is not connected"))
            return
        }
        do {
            let entries = try await control.followLog(of: path, backlog: LogsPane.capacity)
            // The tail first in one update, so the pane opens with its lines at once.
            inbox.post(.logLines(node: node, path: path, lines: [], missed: 0))
            for await entry in entries {
                switch entry {
                case .line(let line): inbox.postLog(node: node, path: path, line: line, missed: 0)
                case .lagged(let missed): inbox.postLog(node: node, path: path, line: nil, missed: missed)
                }
            }
        } catch {
            if !Task.isCancelled { inbox.post(.logFailed(node: node, path: path, message: "cannot read the log of \(path): \(describe(error))")) }
        }
    }

    /// Reads the lines of the incarnation before the current one.
    static func readPrevious(node: Int, path: ChildPath, control: (any SupervisionControl)?, inbox: Inbox) async {
        guard let control else {
            inbox.post(.logFailed(node: node, path: path, message: "the tree is not connected"))
            return
        }
        do {
            let tail = try await control.logTail(of: path, scope: .previous, limit: LogsPane.capacity)
            inbox.post(.previousLog(node: node, path: path, tail: tail))
        } catch {
            inbox.post(.logFailed(node: node, path: path, message: "cannot read the log of \(path): \(describe(error))"))
        }
    }

    /// Writes `text` to `path` (created with mode 0644, replaced if it exists) and reports it.
    static func save(_ text: String, to path: String, inbox: Inbox) {
        let lines = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        if let error = FileText.write(text, to: path) {
            inbox.post(.status("not saved: \(path): \(error)", succeeded: false))
        } else {
            inbox.post(.status("saved \(lines) lines to \(FileText.absolute(path))", succeeded: true))
        }
    }

    private static func describe(_ error: any Error) -> String {
        (error as? SupervisorError)?.message ?? String(describing: error)
    }
}

/// Writing whole files without Foundation.
enum FileText {
    /// Writes `text` to `path`; returns the error's description, or nil on success.
    static func write(_ text: String, to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            offset += written
        }
        return nil
    }

    /// `path` made absolute against the current directory.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX))
        let found = buffer.withUnsafeMutableBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { getcwd($0.baseAddress, $0.count) != nil }
        }
        guard found else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        return cwd + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }
}
