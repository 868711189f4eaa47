#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the fuzzer connects: the served tree's Unix socket or its loopback TCP port.
enum FuzzTarget: Sendable, CustomStringConvertible {
    case unix(path: String)
    case tcp(port: Int)

    var description: String {
        switch self {
        case .unix(let path): "unix://\(path)"
        case .tcp(let port): "tcp://127.0.0.1:\(port)"
        }
    }
}

/// A blocking POSIX socket for sending bytes no real client would send.
///
/// Deliberately below SwiftNIO: the fuzzer must control every byte, half-close at will and never
/// be protected by a framing layer. Every read and write has a timeout, so a server that stops
/// answering shows up as `timedOut`, never as a hung fuzzer.
final class RawSocket {
    /// What the server sent before the read ended.
    struct Received {
        /// Complete lines, without their newline.
        var lines: [String] = []
        /// The server closed the connection (end of file or reset).
        var closed = false
        /// The deadline passed first.
        var timedOut = false
    }

    private let descriptor: Int32
    private var pending: [UInt8] = []

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// Connects to `target`; nil when the connection is refused (e.g. the backlog is full).
    static func connect(_ target: FuzzTarget) -> RawSocket? {
        let fd: Int32
        let connected: Int32
        switch target {
        case .unix(let path):
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return nil }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8.prefix(100)) + [0]) }
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        case .tcp(let port):
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return nil }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return RawSocket(descriptor: fd)
    }

    /// Sends every byte; false if the server closed or stopped reading for a second.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    /// Sends text.
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Makes the close a TCP reset (an abrupt close on a Unix socket) instead of an orderly one.
    func reset() {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    /// Ends our side: the server sees the end of its input.
    func finishSending() { shutdown(descriptor, Int32(SHUT_WR)) }

    /// Reads until `done` says the lines so far suffice, the server closes, or `seconds` pass.
    func read(seconds: Double, until done: ([String]) -> Bool = { _ in false }) -> Received {
        var received = Received()
        let deadline = Self.now() + seconds
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if done(received.lines) { return received }
            if Self.now() >= deadline {
                received.timedOut = true
                return received
            }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 {
                received.closed = true
                return received
            }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                received.closed = true  // ECONNRESET and friends
                return received
            }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                // Events of a subscription can be large; only the start of a line is classified.
                received.lines.append(String(decoding: pending[..<min(newline, 512)], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
            if pending.count > 1 << 20 { pending.removeAll() }  // a huge snapshot line: keep memory flat
        }
    }

    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

