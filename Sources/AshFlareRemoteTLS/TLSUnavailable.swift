#if !TLS
import AshFlare
import AshFlareRemote
import NIOCore

// Built without the package's `TLS` trait (`--disable-default-traits`): the same API, no TLS
// library. Plain TCP and Unix sockets work; anything that needs TLS is refused, saying why.

private let unavailable = "this build of AshFlare has no TLS (built without the package's TLS trait)"

/// Without the `TLS` trait: accepted as configuration, refused when a `tls://` connection is made.
public struct TLSClientSecurity: ClientTransportSecurity {
    /// The CA file given.
    public let caFile: String?
    /// The client certificate file given.
    public let certificateFile: String?
    /// Its key file.
    public let keyFile: String?
    /// The server name given.
    public let serverName: String?

    /// Keeps the options; nothing is loaded.
    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, serverName: String? = nil) throws(RemoteError) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
    }

    /// Always throws: there is no TLS in this build.
    public func secureClientChannel(_ channel: any Channel, host: String) throws {
        throw RemoteError(.invalidConfiguration, "tls://\(host): \(unavailable)")
    }
}

/// Without the `TLS` trait: cannot be made (`init` throws `invalidConfiguration`).
public final class TLSServerSecurity: ServerTransportSecurity {
    /// The certificate file given.
    public let certificateChainFile: String
    /// Its key file.
    public let privateKeyFile: String
    /// The client CA file given.
    public let clientCAFile: String?
    /// The client identities given.
    public let clientIdentities: [String: RemotePermission]

    /// Always throws `invalidConfiguration`: there is no TLS in this build.
    public init(
        certificateChainFile: String, privateKeyFile: String, clientCAFile: String? = nil,
        clientIdentities: [String: RemotePermission] = [:]
    ) throws(RemoteError) {
        throw RemoteError(.invalidConfiguration, "\(certificateChainFile): \(unavailable)")
    }

    /// Always throws (never reached: `init` throws).
    @discardableResult
    public func reload() throws(RemoteError) -> Int { throw RemoteError(.invalidConfiguration, unavailable) }

    /// Whether client certificates grant permissions: never, without TLS.
    public var grantsPermissions: Bool { false }

    /// Always throws (never reached: `init` throws).
    public func secureServerChannel(_ channel: any Channel, identified: @escaping @Sendable (PeerIdentity) -> Void) throws {
        throw RemoteError(.invalidConfiguration, unavailable)
    }
}
#endif
