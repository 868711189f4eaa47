#if TLS
import AshFlare
import AshFlareRemote
import NIOCore
import NIOSSL

/// TLS, and optionally mTLS, for a ``AshFlareRemote/SupervisorServer``'s `tls://` listeners.
///
/// Files are PEM. The server speaks TLS 1.2 and 1.3 only. With ``clientCAFile`` every client
/// must present a certificate that CA signed and that is valid now (mTLS); a verified
/// certificate whose subject common name or a subject alternative name (DNS, e-mail or URI)
/// is a key of ``clientIdentities`` gets that permission without a token. A verified but
/// unlisted certificate still needs a token, like a client without one.
///
/// The files are read once, at ``init(certificateChainFile:privateKeyFile:clientCAFile:clientIdentities:)``,
/// and again at each ``reload()`` (which `flare run --serve` and `flare-demo --serve` call on
/// SIGHUP): new connections get the new certificate, open ones keep theirs, and a reload that
/// fails keeps the previous files in use.
/// ```swift
/// var configuration = SupervisorServer.Configuration(listeners: [.tls(host: "0.0.0.0", port: 7001)])
/// configuration.tls = try TLSServerSecurity(
///     certificateChainFile: "/etc/shop/flare.pem", privateKeyFile: "/etc/shop/flare-key.pem",
///     clientCAFile: "/etc/shop/operators-ca.pem", clientIdentities: ["alice": .control, "grafana": .read])
/// ```
public final class TLSServerSecurity: ServerTransportSecurity {
    /// What one load of the files produced.
    private struct Loaded: Sendable {
        let context: NIOSSLContext
        let generation: Int
    }

    /// The server's certificate, then any intermediates.
    public let certificateChainFile: String
    /// The private key of the server's certificate.
    public let privateKeyFile: String
    /// The CA certificates that sign client certificates; nil: clients present none (no mTLS).
    public let clientCAFile: String?
    /// Client certificate names (subject CN or a SAN) and the permission each grants.
    public let clientIdentities: [String: RemotePermission]

    private let loaded: Locked<Loaded>

    /// Loads the certificate, key and client CA.
    /// - Throws: ``AshFlareRemote/RemoteError`` `invalidConfiguration` naming the file that
    ///   failed to load and why.
    public init(
        certificateChainFile: String, privateKeyFile: String, clientCAFile: String? = nil,
        clientIdentities: [String: RemotePermission] = [:]
    ) throws(RemoteError) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.clientCAFile = clientCAFile
        self.clientIdentities = clientIdentities
        if !clientIdentities.isEmpty && clientCAFile == nil {
            throw RemoteError(.invalidConfiguration, "clientIdentities needs clientCAFile (the CA that signs the client certificates)")
        }
        loaded = Locked(Loaded(
            context: try Self.load(certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile, clientCAFile: clientCAFile),
            generation: 1))
    }

    /// Reads the files again; connections accepted from now on use them.
    ///
    /// - Returns: How many times the files have been loaded (1 after `init`).
    /// - Throws: ``AshFlareRemote/RemoteError`` `invalidConfiguration` naming the file that
    ///   failed; the previous certificate then stays in use.
    @discardableResult
    public func reload() throws(RemoteError) -> Int {
        let context = try Self.load(certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile, clientCAFile: clientCAFile)
        return loaded.withLock { loaded in
            loaded = Loaded(context: context, generation: loaded.generation + 1)
            return loaded.generation
        }
    }

    /// True when client certificates can grant a permission (``clientIdentities`` is not empty).
    public var grantsPermissions: Bool { !clientIdentities.isEmpty }

    /// Adds a TLS server handler with the current certificate, and (with mTLS) the handler that
    /// reports the verified client certificate's identity.
    public func secureServerChannel(_ channel: any Channel, identified: @escaping @Sendable (PeerIdentity) -> Void) throws {
        let context = loaded.withLock { $0.context }
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
        if clientCAFile != nil {
            try channel.pipeline.syncOperations.addHandler(PeerIdentityHandler(identities: clientIdentities, identified: identified))
        }
    }

    private static func load(certificateChainFile: String, privateKeyFile: String, clientCAFile: String?) throws(RemoteError) -> NIOSSLContext {
        let chain = try PEMFile.certificates(certificateChainFile, "certificate chain")
        let key = try PEMFile.privateKey(privateKeyFile)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCAFile {
            configuration.trustRoots = .certificates(try PEMFile.certificates(clientCAFile, "client CA"))
            // Verify the chain and the validity period, not a host name: clients have none.
            configuration.certificateVerification = .noHostnameVerification
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw RemoteError(
                .invalidConfiguration,
                "the TLS certificate '\(certificateChainFile)' and key '\(privateKeyFile)' do not make a usable TLS configuration: \(error)")
        }
    }
}
#endif
