import AshFlare
#if canImport(Glibc)
import Glibc
#endif

/// Tries to connect to a process child's port until it accepts, every 20 ms on the tree's clock.
enum ReadinessProbe {
    static func start(_ readiness: Readiness, ready: ReadySignal, clock: ElapsedClock?) -> Task<Void, Never>? {
        switch readiness.condition {
        case .spawned, .outputLine: return nil
        case .tcpPort, .unixSocket:
            return Task {
                while !ready.isResolved, !Task.isCancelled {
                    if accepts(readiness.condition) {
                        ready.succeed()
                        return
                    }
                    do {
                        if let clock { try await clock.sleep(clock.now() + .milliseconds(20)) } else { try await ContinuousClock().sleep(for: .milliseconds(20)) }
                    } catch {
                        return
                    }
                }
            }
        }
    }

    /// Whether one connection attempt succeeds (a local connect answers at once).
    static func accepts(_ condition: Readiness.Condition) -> Bool {
        switch condition {
        case .spawned, .outputLine:
            return true
        case .tcpPort(let host, let port):
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
        case .unixSocket(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
            }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
            }
        }
    }
}
