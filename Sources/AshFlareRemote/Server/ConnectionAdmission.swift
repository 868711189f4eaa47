/// Who holds a connection slot: connections that have not completed `hello` have a cap of their
/// own, so no number of silent or unauthenticated connections can take the slots of clients that
/// authenticated. Pure: the server performs the decisions.
///
/// - A new connection always gets a handshake slot; when all ``maxPending`` are taken, the
///   *oldest* waiting connection is evicted to make room. An attacker who floods the port with
///   silent connections then only evicts its own, and a client that sends `hello` at once is
///   never starved (refusing the newcomer instead would let 16 silent sockets lock everyone out).
/// - A connection that completes `hello` moves to an authenticated slot, if one of
///   ``maxAuthenticated`` is free; otherwise it is refused with `tooManyConnections`.
struct ConnectionAdmission: Sendable {
    /// Connections that may wait for `hello` at once.
    let maxPending: Int
    /// Authenticated connections that may be open at once.
    let maxAuthenticated: Int
    /// Connections waiting for `hello`, oldest first.
    private(set) var pending: [Int] = []
    /// Connections that completed `hello`.
    private(set) var authenticated: Set<Int> = []

    /// Creates the policy with its two caps.
    init(maxPending: Int, maxAuthenticated: Int) {
        self.maxPending = maxPending
        self.maxAuthenticated = maxAuthenticated
    }

    /// Admits connection `id` to a handshake slot; returns the connection to evict for it, if any.
    mutating func arrive(_ id: Int) -> Int? {
        var evicted: Int?
        if pending.count >= maxPending { evicted = pending.removeFirst() }
        pending.append(id)
        return evicted
    }

    /// Moves connection `id` from its handshake slot to an authenticated one; false if none is
    /// free (or `id` was evicted meanwhile), in which case the caller refuses it.
    mutating func authenticate(_ id: Int) -> Bool {
        guard let index = pending.firstIndex(of: id) else { return false }
        pending.remove(at: index)
        guard authenticated.count < maxAuthenticated else { return false }
        authenticated.insert(id)
        return true
    }

    /// Frees whatever slot connection `id` held.
    mutating func leave(_ id: Int) {
        if let index = pending.firstIndex(of: id) { pending.remove(at: index) }
        authenticated.remove(id)
    }
}
