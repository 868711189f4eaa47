import Subprocess
import SystemPackage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Kills every process group this process started if this process dies, even by SIGKILL.
///
/// One `awk` process per supervising process, in a process group of its own, reads group ids
/// from a socket whose only other end this process holds (close-on-exec, so no child inherits
/// it): `+ ID` when a group starts, `- ID` when it has been killed after its main process exited.
/// When this process dies the kernel closes its end; `awk` reads end-of-file and sends SIGKILL to
/// every group still listed. Limits: a group started in the instant between spawn and `+ID`, a
/// descendant that leaves its group (`setsid`, `setpgid`), and a watchdog killed by someone else
/// are not covered (see docs/PROCESSES.md).
final class OrphanWatchdog: Sendable {
    static let shared = OrphanWatchdog()

    static let script = """
        { if ($1 == "+") groups[$2] = 1; else if ($1 == "-") delete groups[$2] }
        END { list = ""; for (id in groups) list = list " -" id; if (list != "") system("kill -s KILL --" list " 2>/dev/null") }
        """

    /// The socket end this process writes to, or -1 if the watchdog could not be started.
    private let writeEnd: Int32

    private init() {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            writeEnd = -1
            return
        }
        writeEnd = ends[1]
        let readEnd = FileDescriptor(rawValue: ends[0])
        let options = {
            var options = PlatformOptions()
            options.processGroupID = 0
            return options
        }()
        Task.detached {
            _ = try? await Subprocess.run(
                .path("/usr/bin/awk"), arguments: [Self.script], platformOptions: options,
                input: .fileDescriptor(readEnd, closeAfterSpawningProcess: true), output: .discarded, error: .discarded)
        }
    }

    /// Lists a group to kill if this process dies.
    func watch(_ group: pid_t) { send("+ \(group)\n") }

    /// Takes a group off the list (it has been killed).
    func forget(_ group: pid_t) { send("- \(group)\n") }

    private func send(_ line: String) {
        guard writeEnd >= 0 else { return }
        var bytes = Array(line.utf8)
        // One short write of a stream socket; MSG_NOSIGNAL: a dead watchdog must not SIGPIPE us.
        _ = bytes.withUnsafeMutableBytes { Glibc.send(writeEnd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
