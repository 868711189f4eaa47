import CAshFlareProcess
import AshFlare
#if canImport(Glibc)
import Glibc
#endif

/// Reads the standard output and error of every process child on one thread with one epoll set,
/// into one read buffer, so an idle child costs no buffer at all.
///
/// (swift-subprocess's `.sequence` output keeps a zero-filled buffer of the pipe's size, 64 KiB,
/// allocated for every pending read: 128 KiB resident per idle process child.)
final class OutputPump: Sendable {
    static let shared = OutputPump()

    /// One pipe being read: its line splitter, where lines go, and who waits for its end.
    private struct Reader: Sendable {
        var splitter: LineSplitter
        let deliver: @Sendable (String) -> Void
        let ended: @Sendable () -> Void
    }

    private let epoll: Int32
    private let readers = Locked<[Int32: Reader]>([:])

    private init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { return }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        _ = pthread_create(&thread, nil, { context in
            Unmanaged<OutputPump>.fromOpaque(context!).takeUnretainedValue().loop()
            return nil
        }, context)
        pthread_detach(thread)
    }

    /// Reads `fd` (the read end of a pipe; made non-blocking here) until end of file, handing
    /// each line to `deliver` on the pump's thread; then closes `fd` and calls `ended`.
    func start(
        _ fd: Int32, maxLineBytes: Int, deliver: @escaping @Sendable (String) -> Void, ended: @escaping @Sendable () -> Void
    ) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let registered = readers.withLock { readers -> Bool in
            guard epoll >= 0 else { return false }
            readers[fd] = Reader(splitter: LineSplitter(maxLineBytes: maxLineBytes), deliver: deliver, ended: ended)
            var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data(fd: fd))
            guard epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0 else {
                readers[fd] = nil
                return false
            }
            return true
        }
        if !registered {
            deliver("[output could not be read: epoll failed]")
            close(fd)
            ended()
        }
    }

    private func loop() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = epoll_wait(epoll, &events, Int32(events.count), -1)
            guard count > 0 else { continue }
            for event in events[0..<Int(count)] {
                // One read per ready pipe per round (level-triggered): a flooding child cannot
                // starve the others.
                let fd = event.data.fd
                let read = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if read < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                if read > 0 {
                    let (lines, deliver) = readers.withLock { readers -> ([String], (@Sendable (String) -> Void)?) in
                        (readers[fd]?.splitter.feed(buffer[0..<read]) ?? [], readers[fd]?.deliver)
                    }
                    lines.forEach { deliver?($0) }
                    continue
                }
                let failure = read < 0 ? errno : 0
                let ended = readers.withLock { readers -> Reader? in
                    _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
                    return readers.removeValue(forKey: fd)
                }
                close(fd)
                guard var reader = ended else { continue }
                if let last = reader.splitter.finish() { reader.deliver(last) }
                if failure != 0 { reader.deliver("[output ended: \(String(cString: strerror(failure)))]") }
                reader.ended()
            }
        }
    }
}
