import AshFlare
@testable import AshFlareRemote
import AshFlareTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A client that sends requests but does not read the replies is not read either: before each
/// request the server waits until the connection takes writes again. Without this, unsent
/// replies piled up without bound (400 snapshot requests of a 10k-node tree, never read, grew
/// the server to 648 MB; with it, 197 MB and the client's sends block).
@Suite("Replies a client does not read hold its requests back", .timeLimit(.minutes(1)))
struct ReplyBackpressureTests {
    @Test("a client that sends snapshot requests without reading is no longer read; once it reads, every reply arrives")
    func unreadReplies() async throws {
        let served = try await ServedTree.start(on: .unix)
        let path = try #require(served.endpoint.unixSocketPath)
        let socket = try #require(NonReadingSocket(path: path))
        var sent = socket.send(#"{"id":0,"op":"hello","version":1}"# + "\n") ? 1 : 0
        // Send without reading until the server holds the connection back, or 20,000 requests
        // (about 50 MB of replies) if it never does.
        while sent < 20_000, served.server.connectionsHeldBack == 0 {
            if socket.send(#"{"id":\#(sent),"op":"snapshot"}"# + "\n") { sent += 1 } else { await Task.yield() }
        }
        #expect(served.server.connectionsHeldBack == 1, "the server read \(sent) requests whose replies nobody reads")
        // Now read: the server goes on, and every request gets its reply.
        var replies = 0
        while replies < sent {
            socket.sendPending()
            let lines = socket.readLines()
            replies += lines.count
            if lines.isEmpty {
                // Nothing yet: send the rest once the server reads again.
                await Task.yield()
            }
        }
        #expect(replies == sent)
        socket.close()
        await served.stop()
    }
}

/// A non-blocking Unix socket with small buffers that reads only when told to.
final class NonReadingSocket {
    private let descriptor: Int32

    init?(path: String) {
        descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var size: Int32 = 4096
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            return nil
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    /// Bytes of a request the kernel did not take yet; sent by ``sendPending()``.
    private var unsent: [UInt8] = []

    /// Sends `text`; false when the kernel's buffer is full. A request taken only in part counts
    /// as sent: its rest waits in ``sendPending()``.
    func send(_ text: String) -> Bool {
        guard unsent.isEmpty else { return false }
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent > 0 else { return false }
        unsent = Array(bytes[sent...])
        return true
    }

    /// Sends what is left of a request taken in part, as far as the kernel takes it.
    func sendPending() {
        guard !unsent.isEmpty else { return }
        let sent = unsent.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent > 0 { unsent.removeFirst(sent) }
    }

    private var pending: [UInt8] = []

    /// Whatever complete lines have arrived (without waiting).
    func readLines() -> [String] {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return [] }
        pending.append(contentsOf: chunk[0..<count])
        var lines: [String] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        return lines
    }

    func close() { Glibc.close(descriptor) }
}
