#if TLS
import AshFlareRemote
import NIOCore
import NIOSSL

/// How a ``AshFlareRemote/RemoteSupervisor`` speaks TLS to a `tls://` endpoint: whom it
/// trusts, the name the server must prove, and the certificate it presents for mTLS.
///
/// TLS 1.2 or later; the server's certificate must chain to ``caFile`` (or, without it, to
/// the system's CA certificates) and name ``serverName``, or the endpoint's host (an IP
/// address is matched against the certificate's IP addresses).
/// ```swift
/// var configuration = RemoteSupervisor.Configuration()
/// configuration.tls = try TLSClientSecurity(caFile: "/etc/shop/ca.pem",
///     certificateFile: "/home/alice/flare.pem", keyFile: "/home/alice/flare-key.pem")
/// let shop = RemoteSupervisor(endpoint: try RemoteEndpoint(url: "tls://shop.internal:7001"), configuration: configuration)
/// ```
public struct TLSClientSecurity: ClientTransportSecurity {
    /// The CA certificates the server's certificate must chain to; nil: the system's.
    public let caFile: String?
    /// The client certificate presented to a server that asks for one (mTLS).
    public let certificateFile: String?
    /// The private key of ``certificateFile``.
    public let keyFile: String?
    /// The name the server's certificate must carry, also sent as SNI; nil: the endpoint's host.
    public let serverName: String?

    private let context: NIOSSLContext

    /// Loads the files.
    /// - Throws: ``AshFlareRemote/RemoteError`` `invalidConfiguration` naming the file that
    ///   failed to load, or a certificate without its key.
    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, serverName: String? = nil) throws(RemoteError) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile { configuration.trustRoots = .certificates(try PEMFile.certificates(caFile, "CA")) }
        switch (certificateFile, keyFile) {
        case (nil, nil):
            break
        case (let certificateFile?, let keyFile?):
            configuration.certificateChain = try PEMFile.certificates(certificateFile, "client certificate").map { .certificate($0) }
            configuration.privateKey = .privateKey(try PEMFile.privateKey(keyFile))
        case (nil, _?), (_?, nil):
            throw RemoteError(.invalidConfiguration, "a TLS client certificate needs both the certificate file and its key file")
        }
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw RemoteError(.invalidConfiguration, "the TLS client configuration is not usable: \(error)")
        }
    }

    /// Adds a TLS client handler (verifying ``serverName`` or `host`) and the handler that
    /// turns a failed handshake into a ``AshFlareRemote/RemoteError`` naming the reason.
    public func secureClientChannel(_ channel: any Channel, host: String) throws {
        let name = serverName ?? host
        // SNI takes names, not addresses: for an IP address NIOSSL verifies the peer's address.
        let hostname = Self.isIPAddress(name) ? nil : name
        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: hostname))
        try channel.pipeline.syncOperations.addHandler(TLSFailureHandler(server: name))
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || (!host.isEmpty && host.allSatisfy { $0.isNumber || $0 == "." })
    }
}

/// Turns the TLS handler's errors into ``AshFlareRemote/RemoteError``s a person can act on.
final class TLSFailureHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let server: String

    init(server: String) { self.server = server }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? NIOSSLError else {
            context.fireErrorCaught(error)
            return
        }
        let reason: String
        switch error {
        case .handshakeFailed(let boringSSL): reason = "\(boringSSL)"
        default: reason = "\(error)"
        }
        context.fireErrorCaught(RemoteError(.connectionFailed, "the TLS handshake with \(server) failed: \(reason)"))
    }
}

@available(*, unavailable)
extension TLSFailureHandler: Sendable {}
#endif
