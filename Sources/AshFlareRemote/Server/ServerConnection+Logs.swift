import AshFlare
import Logging

// Log subscriptions of a connection (`followLogs`): the reply, then the pump's log frames.
extension ServerConnection {
    /// Opens a log subscription: the reply, then the pump's log frames.
    func followLog(_ id: UInt64, path: ChildPath, backlog: Int) async throws {
        guard hasRoomForSubscription(id) else { return }
        let lines = try await context.tree.followLog(of: path, backlog: backlog)
        // A log subscription forwards no events, so it never holds a reply back (`after: .max`).
        guard openSubscription(id, after: .max) else { return }
        outbox.send(.reply(id: id, .empty))
        logger.debug("following log", metadata: ["remote.subscription": "\(id)", "remote.path": "\(path)"])
        state.withLock { state in
            guard !state.isClosing else { return }
            state.pumps[id] = Task { await self.pumpLog(lines, subscription: id) }
        }
    }

    /// Forwards a followed log's lines until the log ends, the client unsubscribes or the
    /// connection closes. Unlike events, a client that reads slowly is not dropped: the pump
    /// waits until the socket takes writes again, the child's ring moves on meanwhile, and the
    /// client gets a `lagged` frame saying how many lines it missed. The child never waits.
    private func pumpLog(_ lines: ChildLogLines, subscription: UInt64) async {
        var scratch = JSONWriter(capacity: 256)
        var iterator = lines.makeAsyncIterator()
        while true {
            await outbox.waitUntilWritable()
            guard let entry = await iterator.next() else { break }
            guard outbox.sendLog(entry, subscription: subscription, scratch: &scratch) else { return }
        }
        guard !Task.isCancelled else { return }
        endPump(subscription, reason: ServerFrame.logEnded)
    }
}
