import AshFlare
import NIOCore

/// Connections accepted by a listener but not yet taken up by the server.
///
/// NIO hands each accepted connection to the server as a `NIOAsyncChannel` through the listener's
/// async sequence. If the listener stops while a connection is in flight, NIO drops it, and a
/// `NIOAsyncChannel` dropped without `executeThenClose` traps (its writer was never finished).
/// So every accepted connection is registered here first; the server adopts it when it starts
/// serving it, and ends whatever is left once the listeners have stopped.
final class AcceptedConnections: Sendable {
    typealias Connection = NIOAsyncChannel<ByteBuffer, FrameBatch>

    private struct State {
        var waiting: [ObjectIdentifier: Connection] = [:]
        var closed = false
    }

    private let state = Locked(State())

    /// Registers a connection just accepted (on its event loop).
    func register(_ connection: Connection) {
        let late = state.withLock { state -> Bool in
            guard !state.closed else { return true }
            state.waiting[ObjectIdentifier(connection.channel)] = connection
            return false
        }
        if late { Task { await Self.end(connection) } }
    }

    /// Takes a connection over for serving.
    func adopt(_ connection: Connection) {
        _ = state.withLock { $0.waiting.removeValue(forKey: ObjectIdentifier(connection.channel)) }
    }

    /// Ends every connection not taken over; later registrations are ended at once.
    func endAll() async {
        let left = state.withLock { state -> [Connection] in
            state.closed = true
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for connection in left { await Self.end(connection) }
    }

    private static func end(_ connection: Connection) async {
        try? await connection.executeThenClose { _, _ in }
    }
}
