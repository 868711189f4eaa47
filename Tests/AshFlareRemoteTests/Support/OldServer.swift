import AshFlare
import NIOCore
import NIOPosix

/// A stand-in for a server that speaks only protocol v1: it answers `hello` with version 1 and
/// every other request with `{}`, and records every frame it receives.
final class OldServer: Sendable {
    let path: String
    private let frames = Locked<[String]>([])
    private let serving: Task<Void, Never>

    /// The frames received so far, in order.
    var received: [String] { frames.withLock { $0 } }

    private init(path: String, channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) {
        self.path = path
        let record = frames
        serving = Task {
            try? await channel.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask { try await Self.answer(connection, record: record) }
                    }
                }
            }
        }
    }

    /// Listens on a fresh Unix socket.
    static func start() async throws -> OldServer {
        let path = temporarySocketPath("v1")
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path) { child in
                child.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child) }
            }
        return OldServer(path: path, channel: channel)
    }

    private static func answer(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, record: Locked<[String]>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var pending = ""
            for try await chunk in inbound {
                pending += String(buffer: chunk)
                while let newline = pending.firstIndex(of: "\n") {
                    let line = String(pending[..<newline])
                    pending.removeSubrange(...newline)
                    record.withLock { $0.append(line) }
                    let id = line.firstMatch(of: /"id":(\d+)/).map { String($0.1) } ?? "null"
                    let result = line.contains("\"op\":\"hello\"")
                        ? #"{"version":1,"server":"old/1","root":"shop","permission":"control","maxFrameSize":1048576}"#
                        : "{}"
                    try await outbound.write(ByteBuffer(string: "{\"id\":\(id),\"result\":\(result)}\n"))
                }
            }
        }
    }

    /// Stops listening.
    func stop() async {
        serving.cancel()
        await serving.value
    }
}
