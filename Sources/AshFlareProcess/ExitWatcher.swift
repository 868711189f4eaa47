import CAshFlareProcess
import AshFlare
#if canImport(Glibc)
import Glibc
#endif

/// Learns when a process has exited (without reaping it) through its pidfd, on one thread with
/// one epoll set for all process children: the output of a daemonized grandchild may keep a
/// child's pipes open after the child itself has exited.
final class ExitWatcher: Sendable {
    static let shared = ExitWatcher()

    private let epoll: Int32
    private let waiters = Locked<[Int32: @Sendable () -> Void]>([:])

    private init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { return }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        _ = pthread_create(&thread, nil, { context in
            Unmanaged<ExitWatcher>.fromOpaque(context!).takeUnretainedValue().loop()
            return nil
        }, context)
        pthread_detach(thread)
    }

    /// Calls `action` on the watcher's thread once the process behind `pidfd` has exited (at
    /// once, on the calling thread, if it cannot be watched).
    func onExit(pidfd: Int32, _ action: @escaping @Sendable () -> Void) {
        let registered = epoll >= 0 && pidfd >= 0 && waiters.withLock { waiters -> Bool in
            var event = epoll_event(events: EPOLLIN.rawValue | EPOLLONESHOT.rawValue, data: epoll_data(fd: pidfd))
            guard epoll_ctl(epoll, EPOLL_CTL_ADD, pidfd, &event) == 0 else { return false }
            waiters[pidfd] = action
            return true
        }
        if !registered { action() }
    }

    private func loop() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            let count = epoll_wait(epoll, &events, Int32(events.count), -1)
            guard count > 0 else { continue }
            for event in events[0..<Int(count)] {
                let fd = event.data.fd
                let waiter = waiters.withLock { waiters -> (@Sendable () -> Void)? in
                    _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
                    return waiters.removeValue(forKey: fd)
                }
                waiter?()
            }
        }
    }
}
