#if TLS
import AshFlareRemote
import NIOCore
import NIOSSL
import NIOTLS
import SwiftASN1
import X509

/// Sits after the TLS server handler: once the handshake has verified the client's
/// certificate, reports who it names and what that grants, before any decrypted byte passes.
final class PeerIdentityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let identities: [String: RemotePermission]
    private let identified: @Sendable (PeerIdentity) -> Void

    init(identities: [String: RemotePermission], identified: @escaping @Sendable (PeerIdentity) -> Void) {
        self.identities = identities
        self.identified = identified
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event,
            let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
            let certificate = handler.peerCertificate
        {
            identified(Self.identity(of: certificate, in: identities))
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// The identity `certificate` proves: the first of its names (subject common names, then
    /// DNS, e-mail and URI alternative names) that `identities` lists, or, if none is listed,
    /// its first name with no permission.
    static func identity(of certificate: NIOSSLCertificate, in identities: [String: RemotePermission]) -> PeerIdentity {
        let names = Self.names(of: certificate)
        for name in names {
            if let permission = identities[name] { return PeerIdentity(name: name, permission: permission) }
        }
        return PeerIdentity(name: names.first ?? "(a certificate without a name)", permission: nil)
    }

    /// The certificate's subject common names and subject alternative names, in that order.
    static func names(of certificate: NIOSSLCertificate) -> [String] {
        guard let bytes = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: bytes) else { return [] }
        var names: [String] = []
        for rdn in parsed.subject {
            for attribute in rdn where attribute.type == ASN1ObjectIdentifier.RDNAttributeType.commonName {
                if let name = String(attribute.value) { names.append(name) }
            }
        }
        if let alternatives = try? parsed.extensions.subjectAlternativeNames {
            for name in alternatives {
                switch name {
                case .dnsName(let value), .rfc822Name(let value), .uniformResourceIdentifier(let value): names.append(value)
                default: break
                }
            }
        }
        return names
    }
}

@available(*, unavailable)
extension PeerIdentityHandler: Sendable {}
#endif
