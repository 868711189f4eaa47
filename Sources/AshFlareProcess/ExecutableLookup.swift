#if canImport(Glibc)
import Glibc
#endif

/// Finds the file a process child's executable names, as `execvp` would, to report a missing or
/// non-executable one before anything starts.
enum ExecutableLookup {
    static func resolve(_ executable: String, environment: ProcessEnvironment, workingDirectory: String?) throws(ProcessChildError) -> String {
        guard !executable.isEmpty else { throw ProcessChildError(.badSpec, "the executable is empty") }
        if executable.contains("/") {
            let path = executable.hasPrefix("/") || workingDirectory == nil ? executable : "\(workingDirectory!)/\(executable)"
            try check(path, named: executable)
            return path
        }
        let searchPath = environment.variables["PATH"]
            ?? (environment.inheritsParent ? getenv("PATH").map { String(cString: $0) } : nil)
            ?? "/usr/local/bin:/usr/bin:/bin"
        var firstUnusable: ProcessChildError?
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(directory)/\(executable)"
            guard exists(candidate) else { continue }
            do { try check(candidate, named: executable) } catch {
                firstUnusable = firstUnusable ?? error
                continue
            }
            return candidate
        }
        throw firstUnusable ?? ProcessChildError(.executableNotFound, "executable '\(executable)' was not found on PATH (\(searchPath))")
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    private static func check(_ path: String, named name: String) throws(ProcessChildError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ProcessChildError(.executableNotFound, "executable '\(name)' was not found (no file at \(path))")
        }
        if (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFDIR) {
            throw ProcessChildError(.notExecutable, "executable '\(name)' is a directory (\(path))")
        }
        guard access(path, X_OK) == 0 else {
            throw ProcessChildError(.notExecutable, "executable '\(name)' is not executable (\(path) lacks execute permission)")
        }
    }
}
