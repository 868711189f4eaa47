import NIOCore

/// How a connection reached the server, as far as authentication is concerned.
enum ConnectionTransport: Equatable, Sendable {
    /// A Unix socket: its file mode is the first line of defence.
    case unixSocket
    /// Plain TCP (an `insecurePlaintext` listener); whether the peer is on a loopback address.
    case plaintextTCP(peerIsLoopback: Bool)
    /// TCP with TLS; the identity a verified client certificate proved, if any.
    case tls(identity: PeerIdentity?)
}

/// The permission a `hello` earns: pure, so every rule is a table test.
enum HelloAuthentication {
    /// The permission of a connection that said hello with `token` over `transport`, or the
    /// error that refuses it (always `unauthorized`).
    ///
    /// - A Unix socket without configured tokens ignores any token (the file mode decides);
    ///   with tokens, a valid token grants its permission, no token the socket's default
    ///   unless ``SupervisorServer/Configuration/unixSocketRequiresToken``.
    /// - Plain TCP takes a token only from a loopback peer: from anywhere else it has crossed
    ///   the network in clear text, and is refused even when valid.
    /// - TLS: a listed client certificate grants its permission; a token may raise it; an
    ///   unlisted certificate or none needs a valid token.
    /// - ``SupervisorServer/Configuration/readOnly`` caps every grant at `read`.
    static func permission(
        token: String?, transport: ConnectionTransport, configuration: SupervisorServer.Configuration, verifier: TokenVerifier
    ) -> Result<RemotePermission, RemoteError> {
        var permission: RemotePermission
        switch transport {
        case .unixSocket:
            if configuration.tokens.isEmpty {
                permission = configuration.unixSocketPermission
            } else if let token {
                guard let granted = verifier.permission(for: token) else { return .failure(invalidToken) }
                permission = granted
            } else if !configuration.unixSocketRequiresToken {
                permission = configuration.unixSocketPermission
            } else {
                return .failure(tokenRequired)
            }
        case .plaintextTCP(let peerIsLoopback):
            guard let token else { return .failure(tokenRequired) }
            guard peerIsLoopback else {
                return .failure(RemoteError(
                    .unauthorized,
                    "tokens are not accepted over plain TCP from a non-loopback address (the token crossed the network in clear text); connect with tls://"))
            }
            guard let granted = verifier.permission(for: token) else { return .failure(invalidToken) }
            permission = granted
        case .tls(let identity):
            let byCertificate = identity?.permission
            if let token {
                guard let granted = verifier.permission(for: token) else { return .failure(invalidToken) }
                permission = max(granted, byCertificate ?? granted)
            } else if let byCertificate {
                permission = byCertificate
            } else if let identity {
                return .failure(RemoteError(
                    .unauthorized, "the client certificate '\(identity.name)' is not listed on this server, and hello has no token"))
            } else {
                return .failure(tokenRequired)
            }
        }
        if configuration.readOnly { permission = .read }
        return .success(permission)
    }

    private static let invalidToken = RemoteError(.unauthorized, "the token is not valid")
    private static let tokenRequired = RemoteError(.unauthorized, "this server requires a token (the 'token' field of hello)")
}

extension SocketAddress {
    /// Whether the address is a loopback one (`127.0.0.0/8`, `::1`, or `::ffff:127.x.y.z`),
    /// which only this machine can connect from.
    var isLoopback: Bool {
        switch self {
        case .v4(let address):
            // s_addr is in network byte order: the first octet is the lowest byte in memory.
            return withUnsafeBytes(of: address.address.sin_addr.s_addr) { $0[0] } == 127
        case .v6(let address):
            let bytes = withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            return mapped && bytes[12] == 127
        case .unixDomainSocket:
            return true
        }
    }
}
