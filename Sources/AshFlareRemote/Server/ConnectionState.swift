/// The bookkeeping of one server connection; pure, so its rules are testable without sockets.
struct ConnectionState: Sendable {
    /// Where the connection is in its life.
    enum Phase: Equatable, Sendable {
        /// Waiting for `hello`. Can go to `ready` or `closing`.
        case awaitingHello
        /// Greeted; requests are served with this permission. Can go to `closing`.
        case ready(RemotePermission)
        /// Closing since the given instant: the last frame is sent, further input is discarded
        /// until the client closes or the linger timeout passes. Final.
        case closing(since: Duration)
    }

    /// Where the connection is.
    var phase: Phase = .awaitingHello
    /// The protocol version agreed in `hello` (1 until then).
    var version = 1
    /// When the connection was accepted (server clock).
    let acceptedAt: Duration
    /// When the client last sent a frame, or a request or subscription last ended.
    var lastActivity: Duration
    /// Requests being served.
    private(set) var inFlight = 0
    /// Open subscriptions' pump tasks, by subscription id.
    var pumps: [UInt64: Task<Void, Never>] = [:]
    /// Resumed when the last in-flight request ends (while the connection winds down).
    var idleWaiter: CheckedContinuation<Void, Never>?
    /// The reader, waiting for a request slot to free up.
    var slotWaiter: CheckedContinuation<Void, Never>?

    /// A connection accepted at `now`.
    init(acceptedAt now: Duration) {
        acceptedAt = now
        lastActivity = now
    }

    /// How long a closing connection waits for the client to close before it closes anyway.
    static let lingerTimeout: Duration = .seconds(5)

    /// Whether the connection is closing.
    var isClosing: Bool {
        if case .closing = phase { return true }
        return false
    }

    /// The instant the connection times out and the error it then gets (`nil`: close without
    /// a frame); `nil` while it is busy.
    ///
    /// Before `hello` the handshake timeout runs from acceptance. After it, the idle timeout runs
    /// from the last activity, but only while no request is in flight and no subscription is open
    /// (a quiet tree must not disconnect its watchers). A closing connection lingers for
    /// ``lingerTimeout`` at most.
    func deadline(_ limits: SupervisorServer.Limits) -> (at: Duration, error: RemoteError?)? {
        switch phase {
        case .awaitingHello:
            return (acceptedAt + limits.handshakeTimeout, RemoteError(.handshakeTimeout, "no hello within \(limits.handshakeTimeout); closing"))
        case .ready:
            guard inFlight == 0, pumps.isEmpty else { return nil }
            return (lastActivity + limits.idleTimeout, RemoteError(.idleTimeout, "nothing received for \(limits.idleTimeout); closing"))
        case .closing(let since):
            return (since + Self.lingerTimeout, nil)
        }
    }

    /// Counts a new request in, unless `limit` are already in flight.
    mutating func beginRequest(limit: Int) -> Bool {
        guard inFlight < limit else { return false }
        inFlight += 1
        return true
    }

    /// Counts a request out at `now`; returns the waiters to resume (the reader waiting for a
    /// slot, and the wind-down waiting for the last request).
    mutating func endRequest(at now: Duration) -> [CheckedContinuation<Void, Never>] {
        inFlight -= 1
        lastActivity = now
        var ready: [CheckedContinuation<Void, Never>] = []
        if let slotWaiter {
            ready.append(slotWaiter)
            self.slotWaiter = nil
        }
        if inFlight == 0, let idleWaiter {
            ready.append(idleWaiter)
            self.idleWaiter = nil
        }
        return ready
    }

    /// Moves to `closing` at `now`; returns false if it already was.
    mutating func close(at now: Duration) -> Bool {
        guard !isClosing else { return false }
        phase = .closing(since: now)
        return true
    }
}
