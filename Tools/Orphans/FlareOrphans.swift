import AshFlare
import AshFlareProcess
#if canImport(Glibc)
import Glibc
#endif

/// A supervising process for the no-orphans test: starts `count` process children, each a shell
/// that starts a `sleep` grandchild and appends "SHELL_PID SLEEP_PID" to the file named by the
/// first argument, prints `ready N` once every child has written its line (its readiness), and then waits to be killed.
///
///     flare-orphans /tmp/pids 50
@main
struct FlareOrphans {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let count = Int(arguments[2]) else {
            print("usage: flare-orphans PID_FILE COUNT")
            return
        }
        let pidFile = arguments[1]
        let script = #"sleep 1000 & echo "$$ $!" >> "$PID_FILE"; echo up; wait"#
        let children = try (1...count).map { index in
            try ChildSpec.process(
                "child-\(index)",
                ProcessSpec("/bin/sh", arguments: ["-c", script], environment: .inheriting(adding: ["PID_FILE": pidFile]),
                            readiness: .outputLine(matching: "^up$", timeout: .seconds(60))))
        }
        let tree = try await SupervisorHandle.start(SupervisorSpec("orphans", children: children))
        // One write(2), not print(): stdout is a pipe, and a buffered line would never arrive.
        let line = Array("ready \(count)\n".utf8)
        _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        _ = await tree.waitUntilStopped()
    }
}
