public import AshFlare
import Synchronization
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
    private let ended = Mutex(false)

    init(id: pid_t) { self.id = id }

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
