#if canImport(Glibc)
import Glibc
#endif

/// Facts about the process's terminal.
enum Terminal {
    /// Whether stdin and stdout are both terminals (the dashboard needs both).
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Writes a line to stderr.
    static func printError(_ line: String) {
        let text = line + "\n"
        _ = text.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
    }
}
