import AshFlare

/// What every connection of one server shares.
struct ServerContext: Sendable {
    /// The tree being served.
    let tree: any SupervisionControl
    /// The path of its root, for the hello reply.
    let root: ChildPath
    /// The server's configuration.
    let configuration: SupervisorServer.Configuration
    /// The configured tokens.
    let verifier: TokenVerifier
    /// The clock of the timeouts.
    let clock: ElapsedClock
    /// The connection slots (see ``ConnectionAdmission``), shared by every connection.
    let admission: Locked<ConnectionAdmission>

    var limits: SupervisorServer.Limits { configuration.limits }
}
