import AshFlare
#if canImport(Glibc)
import Glibc
#endif

/// The process group of one process child: how its supervisor stops it (``StopEnforcer``).
///
/// Signals go to the whole group, so the child's own children share its fate. Once the group's
/// main process has exited the group is killed once more (a daemonized descendant must not
/// outlive it) and then never signalled again: its id could be reused.
final class ProcessGroup: StopEnforcer {
    let id: pid_t
    private let ended = Locked(false)
    private let clock: ElapsedClock?
    /// The previous CPU sample: CPU seconds used, and when (on the tree's clock).
    private let lastSample = Locked<(cpu: Double, at: Duration)?>(nil)

    init(id: pid_t, clock: ElapsedClock?) {
        self.id = id
        self.clock = clock
    }

    /// pid, CPU % since the previous sample and RSS, from `/proc/PID/stat` and `/proc/PID/statm`.
    func processDetails() -> ProcessDetails? {
        var details = ProcessDetails(pid: id)
        if let cpu = ProcStat.cpuSeconds(of: id), let now = clock?.now() {
            let previous = lastSample.withLock { sample in
                defer { sample = (cpu, now) }
                return sample
            }
            if let previous, now > previous.at {
                let elapsed = Double((now - previous.at).components.seconds) + Double((now - previous.at).components.attoseconds) / 1e18
                details.cpuPercent = max(0, (cpu - previous.cpu) / elapsed * 100)
            }
        }
        details.residentBytes = ProcStat.residentBytes(of: id)
        return details
    }

    func requestStop() { signal(SIGTERM) }

    func forceStop() { signal(SIGKILL) }

    /// The main process has exited: kill what is left of the group, once, and stop signalling.
    func mainProcessExited() {
        let first = ended.withLock { ended in
            defer { ended = true }
            return !ended
        }
        if first { _ = kill(-id, SIGKILL) }
    }

    private func signal(_ number: Int32) {
        ended.withLock { ended in
            // Under the lock: never signal a group id after its end was recorded.
            if !ended { _ = kill(-id, number) }
        }
    }
}
