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
    private let waiters = Locked<[Int32: CheckedContinuation<Void, Never>]>([:])

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

    /// Returns once the process behind `pidfd` has exited (at once if it is not valid).
    func waitForExit(pidfd: Int32) async {
        guard epoll >= 0, pidfd >= 0 else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let registered = waiters.withLock { waiters -> Bool in
                var event = epoll_event(events: EPOLLIN.rawValue | EPOLLONESHOT.rawValue, data: epoll_data(fd: pidfd))
                guard epoll_ctl(epoll, EPOLL_CTL_ADD, pidfd, &event) == 0 else { return false }
                waiters[pidfd] = continuation
                return true
            }
            if !registered { continuation.resume() }
        }
    }

    private func loop() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            let count = epoll_wait(epoll, &events, Int32(events.count), -1)
            guard count > 0 else { continue }
            for event in events[0..<Int(count)] {
                let fd = event.data.fd
                let waiter = waiters.withLock { waiters -> CheckedContinuation<Void, Never>? in
                    _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
                    return waiters.removeValue(forKey: fd)
                }
                waiter?.resume()
            }
        }
    }
}
