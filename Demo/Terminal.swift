#if canImport(Glibc)
import Glibc
#endif

/// Facts about the process's terminal.
enum Terminal {
    /// Whether stdin and stdout are both terminals (the dashboard needs both).
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }
}
