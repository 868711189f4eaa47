import NIOCore

/// Secures the connections a ``SupervisorServer`` accepts on its `tls://` listeners.
///
/// The `AshFlareRemoteTLS` module provides the implementation (`TLSServerSecurity`, over
/// swift-nio-ssl), so that a program serving only on Unix sockets never builds a TLS library.
/// Set it as ``SupervisorServer/Configuration/tls``.
public protocol ServerTransportSecurity: Sendable {
    /// Whether a verified client certificate can grant a permission without a token (mTLS with
    /// listed identities); if so, a TLS listener needs no token.
    var grantsPermissions: Bool { get }

    /// Adds the handlers that secure a newly accepted connection, in front of the framing.
    ///
    /// Called on the channel's event loop. The implementation calls `identified` once the
    /// peer has proven an identity (a verified client certificate), before any decrypted byte
    /// reaches the handlers after it.
    func secureServerChannel(_ channel: any Channel, identified: @escaping @Sendable (PeerIdentity) -> Void) throws
}

/// Secures the connection of a ``RemoteSupervisor`` to a `tls://` endpoint.
///
/// The `AshFlareRemoteTLS` module provides the implementation (`TLSClientSecurity`). Set it
/// as ``RemoteSupervisor/Configuration/tls``.
public protocol ClientTransportSecurity: Sendable {
    /// Adds the handlers that secure a new connection to `host` (the endpoint's host), in
    /// front of the framing; called on the channel's event loop.
    func secureClientChannel(_ channel: any Channel, host: String) throws
}

/// Who the peer of a connection proved to be (a verified client certificate), and what that
/// grants.
public struct PeerIdentity: Hashable, Sendable, CustomStringConvertible {
    /// The name that identified the peer, e.g. the certificate's subject common name.
    public var name: String
    /// What the identity grants without a token; `nil` when it is not listed (the client then
    /// needs a token, like a client without a certificate).
    public var permission: RemotePermission?

    /// Creates an identity.
    public init(name: String, permission: RemotePermission?) {
        self.name = name
        self.permission = permission
    }

    /// The name and the permission.
    public var description: String { "\(name) (\(permission?.name ?? "not listed"))" }
}
